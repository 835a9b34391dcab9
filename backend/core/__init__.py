"""The foundation every app imports; imports no app and nothing from backend.pages."""
