"""Entry point for ``flask run`` and WSGI servers (``gunicorn app:app``)."""

from riskedu import create_app

app = create_app()
