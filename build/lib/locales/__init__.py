"""The gettext catalogues: ``<lang>/LC_MESSAGES/forumbridge.po`` (see handlers/i18n.py)."""
