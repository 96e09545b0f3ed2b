"""The facet registry: one small spec per facet, read by every layer.

A facet is a kind of value an article carries (people, outlets, sections) that search
can filter on and count. Its spec names it once for each place that needs a name:

- the index: `index_field` is the folded text field behind `person:` queries and
  `stored_field` keeps the whole values (index/schema.py, index/builder.py);
- search: `name` keys the selections of a Criteria, the counts of Results and the
  facet columns of a segment (search/criteria.py, search/counting.py);
- the URL, the CLI and the API: `param` selects a value, `exclude_param` leaves it out
  (web/, cli.py, the OpenAPI document);
- the pages: `label` heads the facet list, `chip` labels an active filter, and `page`,
  when set, is the path of the value's own page (/people/Lech Wałęsa);
- roles: an outlet publishes a story (`sources`, `source:`) or is cited by it (`cited`,
  `cited:`); `outlets` (`outlet:`) is both together, and its `roles` name the two, so
  that the outlet page counts each and the article page lists them apart.

Adding a facet is adding a spec to FACETS (then `newsarchive reindex`, since the index
holds its columns): nothing else names the facets one by one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    """How one facet is named and stored in every layer."""

    name: str  # plural: key of counts in results, API path (/api/facets/people)
    param: str  # URL and CLI parameter selecting a value (person=...)
    exclude_param: str | None  # parameter leaving a value out, None if it cannot
    label: str  # heading of the facet list ("People")
    chip: str  # label of one selected value ("Person")
    article_field: str  # Article attribute with the values (a list, or one string)
    index_field: str  # searchable text field (`person:putin`)
    stored_field: str  # stored field holding the whole values as a list
    describes: str  # completes "Only articles ...": "naming this person"
    page: str | None = None  # path of each value's page (/people/NAME), None: no pages
    multiple: bool = True  # an article can carry several values
    # Facets whose values together make this one's (outlets = sources + cited): pages
    # show the roles apart and count each.
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The index holds the folded words and the whole values in two fields: one name
        # for both would silently keep only one of them.
        if self.index_field == self.stored_field:
            raise ValueError(f"facet {self.name}: index_field and stored_field must differ")

    def values(self, article: object) -> list[str]:
        """Return the facet's values of an Article (or of any object with the field)."""
        value = getattr(article, self.article_field, None)
        if isinstance(value, str):
            return [value] if value else []
        return [v for v in value or () if v]

    def describe(self, value: str) -> str:
        """Return what an article with this value is: "naming Lech Wałęsa"."""
        return f"{self.describes.rsplit(' this ', 1)[0]} {value}"

    def json_value(self, values: list[str]) -> list[str] | str:
        """Return values as JSON carries them: a list, or one string for a single value."""
        return list(values) if self.multiple else (values[0] if values else "")


FACETS: list[Facet] = [
    Facet(
        name="people",
        param="person",
        exclude_param="exclude_person",
        label="People",
        chip="Person",
        article_field="people",
        index_field="person",
        stored_field="people",
        describes="naming this person",
        page="people",
    ),
    Facet(
        name="outlets",
        param="outlet",
        exclude_param="exclude_outlet",
        label="Outlets",
        chip="Outlet",
        article_field="outlets",
        index_field="outlet",
        stored_field="outlets",
        describes="published by or citing this outlet",
        page="outlets",
        roles=("sources", "cited"),
    ),
    # The two roles of an outlet, apart: "published by The Hill" is not "cites The Hill".
    Facet(
        name="sources",
        param="source",
        exclude_param="exclude_source",
        label="Published by",
        chip="Published by",
        article_field="sources",
        index_field="source",
        stored_field="sources",
        describes="published by this outlet",
        page="outlets",
    ),
    Facet(
        name="cited",
        param="cited",
        exclude_param="exclude_cited",
        label="Cited outlets",
        chip="Cites",
        article_field="cited",
        index_field="cited",
        stored_field="cited_outlets",  # apart from index_field: one index field, one job
        describes="citing this outlet",
        page="outlets",
    ),
    Facet(
        name="sections",
        param="section",
        exclude_param=None,
        label="Sections",
        chip="Section",
        article_field="section",
        index_field="section",
        stored_field="sections",
        describes="in this section",
        multiple=False,
    ),
]


def all_facets() -> tuple[Facet, ...]:
    """Return the registered facets in display order (read at call time, never cached)."""
    return tuple(FACETS)


def get(name: str) -> Facet | None:
    """Return the facet called name, or None."""
    return next((f for f in FACETS if f.name == name), None)


def with_page(page: str) -> Facet | None:
    """Return the facet whose values have pages under /page/ (the first registered: the
    union before its roles), or None."""
    return next((f for f in FACETS if f.page is not None and f.page == page), None)


def names() -> tuple[str, ...]:
    """Return the names of the registered facets."""
    return tuple(f.name for f in FACETS)
