"""Pages and API endpoints are named apart: every /api/ route is in the "api" namespace, and no page
name leads under /api/."""
from django.urls import URLPattern, URLResolver, get_resolver


def _routes(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace])) if entry.namespace else namespace
            yield from _routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), ":".join(filter(None, [namespace, entry.name]))


def test_api_routes_and_only_they_are_in_the_api_namespace():
    routes = list(_routes(get_resolver()))
    api = [(path, name) for path, name in routes if path.startswith("api/")]
    pages = [(path, name) for path, name in routes if not path.startswith("api/")]
    assert api and pages
    assert all(name.startswith("api:") for _, name in api), [r for r in api if not r[1].startswith("api:")]
    assert not any(name.startswith("api:") for _, name in pages)
    # Outside any app namespace only the root and Django's own auth names (LOGIN_URL = "login", the
    # registration/ templates reverse them by these names).
    unspaced = {name for _, name in pages if ":" not in name}
    assert unspaced == {"home", "login", "logout", "password_change", "password_change_done"}, unspaced
