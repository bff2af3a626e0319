"""A plain sheet per article with what DergiPark's article form asks, field by field, so an
editor pastes each answer instead of typing it again: both titles, both abstracts, both
sets of keywords, the authors with affiliation and ORCID iD, the DOI, the pages, and the
references one per line (the bibliography's entries, or the notes where the notes are the
*Kaynakça*), each as printed. Plain UTF-8 text: a form takes nothing else.
"""

from __future__ import annotations

from dizgi import turkish
from dizgi.model import TypesetArticle

#: each field's label as DergiPark's form names it
FIELDS = (
    ("title_tr", "Makale Başlığı (Türkçe)"),
    ("title_en", "Makale Başlığı (İngilizce)"),
    ("abstract_tr", "Öz"),
    ("abstract_en", "Abstract"),
    ("keywords_tr", "Anahtar Kelimeler"),
    ("keywords_en", "Keywords"),
    ("authors", "Yazarlar"),
    ("doi", "DOI"),
    ("pages", "Sayfalar"),
    ("references", turkish.LABELS["references"]),
)


def sheet(typeset: TypesetArticle, pages: tuple[int, int]) -> str:
    """The article's sheet: each field under its label, a blank line between fields; a
    field the manuscript does not give says so, so that nothing is silently missing."""
    meta = typeset.article.meta
    own = meta.lang.split("-")[0]
    other = meta.translation
    titles = {own: meta.title, **({other.lang: other.title} if other and other.title else {})}
    abstracts = {own: meta.abstract, **({other.lang: other.abstract} if other and other.abstract else {})}
    keywords = {own: meta.keywords, **({other.lang: other.keywords} if other and other.keywords else {})}
    fields = {
        "title_tr": titles.get("tr"),
        "title_en": titles.get("en"),
        "abstract_tr": abstracts.get("tr"),
        "abstract_en": abstracts.get("en"),
        "keywords_tr": ", ".join(keywords.get("tr", ())),
        "keywords_en": ", ".join(keywords.get("en", ())),
        "authors": "\n".join(
            " — ".join(
                part
                for part in (
                    author.name,
                    author.affiliation,
                    f"https://orcid.org/{author.orcid}" if author.orcid else "",
                )
                if part
            )
            for author in meta.authors
        ),
        "doi": f"https://doi.org/{meta.doi}" if meta.doi else "",
        "pages": f"{pages[0]}–{pages[1]}",
        "references": "\n".join(typeset.reference_texts),
    }
    blocks = [f"{label}:\n{fields[name] or '(yok)'}" for name, label in FIELDS]
    return "\n\n".join(blocks) + "\n"
