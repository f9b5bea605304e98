from tests.courses.conftest import course_index, lesson_factory, make_course, school  # noqa: F401
