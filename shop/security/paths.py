from django.utils.translation import get_language_from_path


def path_without_language(path: str) -> str:
    """/ar/dashboard/ → /dashboard/ (pages answer with or without a language prefix)."""
    language = get_language_from_path(path)
    return path[len(language) + 1 :] if language and path.startswith(f"/{language}/") else path
