"""Server-rendered pages (crew, school, planning) are added here by their issues."""

urlpatterns: list = []
