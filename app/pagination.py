"""GOV.UK pagination parameters for the administrator's lists."""

from __future__ import annotations

from urllib.parse import urlencode


def page_url(path: str, params: dict, page: int) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if page > 1:
        query["page"] = page
    return path + ("?" + urlencode(query) if query else "")


def pagination(
    path: str, params: dict, page: int, *, has_next: bool, last_page: int | None = None
) -> dict | None:
    """govukPagination params: numbered when the number of pages is known, else previous/next.
    None when everything fits on one page."""
    if page <= 1 and not has_next:
        return None
    result: dict = {}
    if page > 1:
        result["previous"] = {"href": page_url(path, params, page - 1)}
    if has_next:
        result["next"] = {"href": page_url(path, params, page + 1)}
    if last_page:
        items: list[dict] = []
        for n in range(1, last_page + 1):
            if n in (1, last_page) or abs(n - page) <= 1:
                items.append({"number": n, "href": page_url(path, params, n), "current": n == page})
            elif items and not items[-1].get("ellipsis"):
                items.append({"ellipsis": True})
        result["items"] = items
    return result
