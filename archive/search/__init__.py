"""The read side of search: criteria in, a page of results with facet counts out.

criteria.py    Criteria: everything that selects and orders a page, parsed once from a URL
parsing.py     the query language, parsed into Whoosh query trees
evaluation.py  a query tree evaluated over one segment's arrays, with BM25F scores
phrases.py     phrases on positions, bounded by the rarest word
counting.py    criteria applied per segment (any/all per facet); facet and month counts
parallel.py    a search's segments worked on side by side (a thread pool per process)
ranking.py     the top hits by score or date; facet rows
values.py      a facet's values matching typed text, most frequent first, a page at a time
highlight.py   query terms marked in snippets, titles and bodies
spans.py       which words of a text match the query's terms, found in C
suggest.py     "did you mean" from the archive's own words
results.py     Hit and Results
snapshot.py    one opened generation of the index: per segment its columns, postings, live docs
searcher.py    Searcher, the entry point (a context manager over the live index)
trends.py      series (any search) counted per month, and their share of the archive
"""

from archive.errors import IndexMissing, SearchError
from archive.search.criteria import Criteria
from archive.search.highlight import highlight
from archive.search.results import Hit, Results
from archive.search.searcher import Searcher

__all__ = ["Criteria", "Hit", "IndexMissing", "Results", "SearchError", "Searcher", "highlight"]
