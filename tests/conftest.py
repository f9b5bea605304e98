import pytest
from makerroom.core import roles


@pytest.fixture
def make_user(django_user_model):
    """make_user("li", role=roles.Role.TEACHER, school=school) -> a saved user in that role group."""

    def make(username, role=None, password="pass-w0rd-123", **fields):
        user = django_user_model.objects.create_user(username=username, password=password, **fields)
        if role:
            roles.add_role(user, role)
        return user

    return make


@pytest.fixture
def home_page():
    from makerroom.home.models import HomePage

    return HomePage.objects.get(locale__language_code="zh-hans")


@pytest.fixture
def role_names():
    return list(roles.Role)
