"""Festival views, one module per audience: the team (team.py), the mentor and the workflow
steps (mentor.py), judges (judge.py), organisers (organiser.py) and the public (public.py).
Thin: who may is policy.py, what happens is services.py / judging.py, tables are presenters.py."""
