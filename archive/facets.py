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
- matching: a facet whose articles carry several values (`multiple`) has a mode
  parameter (`mode_param`, person_mode=all): "any" (the default) keeps articles with at
  least one picked value, "all" only those with every picked value;
- showing: `value_label` turns a stored value into what pages print (a section slug
  "gun_control_and_gun_rights" reads "Gun control and gun rights"); URLs keep the value;
- curation: `curation` names the family of hand curation (archive/curation.py) whose
  merges, renames and hides map the facet's values at query time.

Adding a facet is adding a spec to FACETS (then `newsarchive reindex`, since the index
holds its columns): nothing else names the facets one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("any", "all")  # how a facet's picked values combine: at least one, or every one


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
    slugs: bool = False  # values are slugs (words joined by "_"): value_label spells them out
    # The curation family whose map renames, merges and hides the values (curation.py):
    # the outlets facet and its roles share "outlets", so hiding an outlet hides it in all.
    curation: str | None = None

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

    @property
    def mode_param(self) -> str | None:
        """Return the parameter choosing "any" or "all" of the picked values (person_mode),
        or None for a facet with one value an article (all of two would match nothing)."""
        return f"{self.param}_mode" if self.multiple else None

    def value_label(self, value: str) -> str:
        """Return the value as pages show it: a slug's words spelt out, first one capital."""
        if not self.slugs or " " in value or "_" not in value:
            return value
        words = " ".join(value.replace("_", " ").split())
        return words[:1].upper() + words[1:]

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
        curation="people",
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
        curation="outlets",
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
        curation="outlets",
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
        curation="outlets",
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
        slugs=True,
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
