"""Offprints: each article's pages of the issue as a PDF of its own, the file a journal
system or an author asks for.

An offprint is cut from the finished issue PDF, not laid out or painted again: its pages
are the issue's pages, bytes and all, so it cannot differ from the issue (folios, line
breaks, the PDF/UA work done on the issue). What does not belong to its pages is taken
away: the other pages, their structure elements and parent-tree entries, the bookmarks and
named destinations that point at them, and the links that would lead there. What is its
own is put in: its title, authors, abstract, keywords and language (document information
and XMP), and page labels that keep the issue's folios.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

#: a page, a structure element or an annotation, by object number and generation
ObjGen = tuple[int, int]


@dataclass(frozen=True)
class Offprint:
    """One article's pages of the issue, as a PDF."""

    key: str
    pdf: bytes
    #: the folios of its first and last pages, as printed in the issue
    first_folio: int
    last_folio: int

    @property
    def pages(self) -> int:
        return self.last_folio - self.first_folio + 1


@dataclass(frozen=True)
class OffprintMeta:
    """What an offprint says of itself: its document information (``/Title``, ``/Author``,
    ``/Subject``, ``/Keywords``, the others as the issue's), its XMP packet, which must say
    the same (PDF/A), and its language."""

    info: dict[str, str]
    xmp: bytes
    lang: str


@dataclass(frozen=True)
class Reach:
    """Where a structure element's content stands: what cutting needs to know to keep or
    drop the element whole, without walking into it (walking every element once per
    offprint made cutting grow with the square of the issue)."""

    #: the pages its content (and its own ``/Pg``) is on
    pages: frozenset[ObjGen]
    #: the annotations it refers to
    annotations: frozenset[ObjGen]
    #: it holds an element with no content and no page, which stays wherever it is cut
    always: bool
    #: it holds content no cut keeps (no page to stand on, an empty ``/K``)
    lost: bool


def reaches(issue_pdf: bytes) -> dict[ObjGen, Reach]:
    """The reach of every structure element of the issue, by its object number: found once
    for all the offprints cut from the same PDF (object numbers are the same in each)."""
    found: dict[ObjGen, Reach] = {}
    with pikepdf.open(io.BytesIO(issue_pdf)) as pdf:
        _reach(pdf.Root.StructTreeRoot, found)
    return found


def _reach(element: pikepdf.Object, found: dict[ObjGen, Reach]) -> Reach:
    """``element``'s reach, as ``_prune_element`` would judge its content."""
    page = element.get("/Pg")
    pages: set[ObjGen] = set() if page is None else {page.objgen}
    annotations: set[ObjGen] = set()
    always = lost = False
    kids = element.get("/K")
    if kids is None:
        always = page is None
    else:
        listed = list(kids) if isinstance(kids, Array) else [kids]
        lost = not listed
        for kid in listed:
            if isinstance(kid, Dictionary) and "/S" in kid:
                inner = _reach(kid, found)
                pages |= inner.pages
                annotations |= inner.annotations
                always |= inner.always
                lost |= inner.lost
                continue
            annotation = _annotation_of(kid)
            if annotation is not None:
                annotations.add(annotation)
            on = _content_page(kid, page)
            if on is None:
                lost = True
            else:
                pages.add(on.objgen)
    reach = Reach(frozenset(pages), frozenset(annotations), always, lost)
    if element.is_indirect:
        found[element.objgen] = reach
    return reach


def cut(
    issue_pdf: bytes, pages: range, meta: OffprintMeta, reach: dict[ObjGen, Reach] | None = None
) -> bytes:
    """The pages ``pages`` (0-based) of the finished issue PDF as a PDF of their own; with
    ``reach`` (from ``reaches``), elements wholly on the pages kept or wholly off them are
    kept or dropped without walking into them."""
    with pikepdf.open(io.BytesIO(issue_pdf)) as pdf:
        kept = {pdf.pages[index].obj.objgen for index in pages}
        for index in reversed(range(len(pdf.pages))):
            if index not in pages:
                del pdf.pages[index]
        destinations = _prune_destinations(pdf, kept)
        dropped = _drop_dead_links(pdf, destinations)
        tree = pdf.Root.StructTreeRoot
        _prune_element(tree, kept, dropped, reach or {})
        _prune_parent_tree(pdf, tree)
        _prune_outline(pdf, kept)
        labels = Array([0, Dictionary(S=Name.D, St=pages.start + 1)])
        pdf.Root.PageLabels = Dictionary(Nums=labels)
        pdf.Root.Lang = pikepdf.String(meta.lang)
        for field in ("/Title", "/Author", "/Subject", "/Keywords"):
            value = meta.info.get(field.lstrip("/"))
            if value:
                pdf.docinfo[field] = pikepdf.String(value)
            elif field in pdf.docinfo:
                del pdf.docinfo[field]
        pdf.Root.Metadata.write(meta.xmp)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _page_of(destination: pikepdf.Object) -> ObjGen | None:
    """The page an explicit destination (``[page /XYZ x y zoom]``) goes to."""
    if isinstance(destination, Dictionary) and "/D" in destination:
        destination = destination.D
    if isinstance(destination, Array) and len(destination) and isinstance(destination[0], Dictionary):
        return destination[0].objgen
    return None


def _prune_destinations(pdf: pikepdf.Pdf, kept: set[ObjGen]) -> set[str]:
    """Take the named destinations on pages not kept out of the name tree; the names left."""
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return set()
    tree = pikepdf.NameTree(names.Dests)
    for name in [name for name, target in tree.items() if _page_of(target) not in kept]:
        del tree[name]
    return set(tree.keys())


def _drop_dead_links(pdf: pikepdf.Pdf, destinations: set[str]) -> set[ObjGen]:
    """Take away each link annotation that goes to a page not kept (a contents entry, a
    reference to another article): in the offprint it would lead nowhere. The annotations
    taken away, to be taken out of the structure tree."""
    dropped: set[ObjGen] = set()
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        keep = Array()
        for annotation in annotations:
            if _leads_nowhere(annotation, destinations):
                dropped.add(annotation.objgen)
            else:
                keep.append(annotation)
        if len(keep) != len(annotations):
            page.obj.Annots = keep
    return dropped


def _leads_nowhere(annotation: pikepdf.Object, destinations: set[str]) -> bool:
    if annotation.get("/Subtype") != Name.Link:
        return False
    target = annotation.get("/Dest")
    action = annotation.get("/A")
    if target is None and isinstance(action, Dictionary) and action.get("/S") == Name.GoTo:
        target = action.get("/D")
    if target is None:
        return False  # a web address
    if isinstance(target, (pikepdf.String, Name)):
        return str(target).lstrip("/") not in destinations
    return _page_of(target) is None


def _prune_element(
    element: pikepdf.Object, kept: set[ObjGen], dropped: set[ObjGen], reach: dict[ObjGen, Reach]
) -> bool:
    """Take out of ``element`` what stands on pages not kept and the links taken away; say
    whether anything of it is left. An element that held nothing to begin with stays when
    its page does."""
    known = reach.get(element.objgen) if element.is_indirect else None
    if known is not None:
        if not known.always and known.pages.isdisjoint(kept):
            return False
        if not known.lost and known.pages <= kept and known.annotations.isdisjoint(dropped):
            return True
    kids = element.get("/K")
    page = element.get("/Pg")
    on_kept_page = page is None or page.objgen in kept
    if kids is None:
        return on_kept_page
    listed = list(kids) if isinstance(kids, Array) else [kids]
    left = [kid for kid in listed if _kid_stays(kid, page, kept, dropped, reach)]
    if len(left) != len(listed):
        element.K = Array(left)
    if page is not None and not on_kept_page and left:
        del element.Pg  # its content is elsewhere (in elements of their own pages)
    return bool(left)


def _kid_stays(
    kid: pikepdf.Object,
    page: pikepdf.Object | None,
    kept: set[ObjGen],
    dropped: set[ObjGen],
    reach: dict[ObjGen, Reach],
) -> bool:
    if isinstance(kid, Dictionary) and "/S" in kid:
        return _prune_element(kid, kept, dropped, reach)
    return _annotation_of(kid) not in dropped and _on(_content_page(kid, page), kept)


def _content_page(kid: pikepdf.Object, page: pikepdf.Object | None) -> pikepdf.Object | None:
    """The page a kid that is content stands on: a marked-content or object reference's own
    ``/Pg`` if it has one, else (and for a bare marked-content id) its element's page. One
    rule for the cut and for ``_reach``, which must judge alike."""
    if isinstance(kid, Dictionary) and kid.get("/Type") in (Name.OBJR, Name.MCR):
        return kid.get("/Pg", page)
    return page


def _annotation_of(kid: pikepdf.Object) -> ObjGen | None:
    """The annotation an object reference points at (a link); None for other content."""
    if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
        return kid.Obj.objgen
    return None


def _on(page: pikepdf.Object | None, kept: set[ObjGen]) -> bool:
    return page is not None and page.objgen in kept


def _prune_parent_tree(pdf: pikepdf.Pdf, tree: pikepdf.Object) -> None:
    """Keep the parent tree's entries of the pages and annotations left, in order."""
    wanted: set[int] = set()
    for page in pdf.pages:
        if "/StructParents" in page.obj:
            wanted.add(int(page.obj.StructParents))
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                wanted.add(int(annotation.StructParent))
    numbers = tree.ParentTree.Nums
    nums = Array()
    for index in range(0, len(numbers), 2):
        if int(numbers[index]) in wanted:
            nums.append(numbers[index])
            nums.append(numbers[index + 1])
    tree.ParentTree.Nums = nums


def _prune_outline(pdf: pikepdf.Pdf, kept: set[ObjGen]) -> None:
    """Keep the bookmarks that go to the pages left; one whose page is gone gives its place
    to those of its children that stay."""

    def left(items: list[pikepdf.OutlineItem]) -> Iterator[pikepdf.OutlineItem]:
        for item in items:
            children = list(left(list(item.children)))
            page = _page_of(item.destination) if isinstance(item.destination, Array) else None
            if page is not None and page in kept:
                item.children[:] = children
                yield item
            else:
                yield from children

    with pdf.open_outline() as outline:
        outline.root[:] = list(left(list(outline.root)))
