"""The pieces of the print issue (``pieces``), each a tagged PDF of its own, stitched into
the issue's PDF: their pages in order, their structure trees under one ``Document``
element, their parent trees renumbered into one, their named destinations and bookmarks
merged. The first piece (the front matter) gives the issue its catalog: language, XMP,
output intent, page labels, viewer preferences.

Each piece numbers its pages' and links' entries in its parent tree from 0; a piece's are
moved past the ones before it (a page's ``/StructParents``, a link's ``/StructParent``, the
keys of ``/Nums``). A link to another piece (a contents entry) is a named destination the
front matter holds as a placeholder (``PieceJob.elsewhere``); the piece that has the anchor
gives the name its page. A helper of the pdf stage.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pikepdf
from pikepdf import Array

from dizgi import fontmerging


def stitch(pieces: Sequence[bytes]) -> bytes:
    """One PDF of ``pieces``, in their order; same pieces, same bytes."""
    with pikepdf.open(io.BytesIO(pieces[0])) as issue:
        tree = issue.Root.StructTreeRoot
        document = _listed(tree.K)[0]  # WeasyPrint's one Document element
        document.K = Array(_listed(document.K))  # one kid may stand alone, not in an array
        numbers = tree.ParentTree.Nums
        next_key = _next_key(numbers)
        destinations = pikepdf.NameTree(issue.Root.Names.Dests)
        with issue.open_outline() as outline:
            for data in pieces[1:]:
                with pikepdf.open(io.BytesIO(data)) as piece:
                    _renumber(piece, next_key)
                    for page in piece.pages:  # the destinations and bookmarks: below
                        issue.pages.append(page)
                    piece_tree = piece.Root.StructTreeRoot
                    for kid in (_copy(issue, kid) for kid in _listed(_listed(piece_tree.K)[0].K)):
                        kid.P = document
                        document.K.append(kid)
                    piece_numbers = piece_tree.ParentTree.Nums
                    for index in range(0, len(piece_numbers), 2):
                        numbers.append(piece_numbers[index])
                        numbers.append(_copy(issue, piece_numbers[index + 1]))
                    next_key = max(next_key, _next_key(numbers))
                    names = piece.Root.get("/Names")
                    if names is not None and "/Dests" in names:
                        for name, target in pikepdf.NameTree(names.Dests).items():
                            destinations[name] = _copy(issue, target)
                    with piece.open_outline() as piece_outline:
                        outline.root.extend(_copied(issue, item) for item in piece_outline.root)
        fontmerging.merge_faces(issue)
        out = io.BytesIO()
        issue.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _next_key(numbers: pikepdf.Object) -> int:
    """The first key past a parent tree's ``/Nums`` (pairs of key and value)."""
    return max((int(numbers[index]) for index in range(0, len(numbers), 2)), default=-1) + 1


def _renumber(piece: pikepdf.Pdf, offset: int) -> None:
    """Move the piece's parent-tree keys, and the pages and links that name them, by ``offset``."""
    for page in piece.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    numbers = piece.Root.StructTreeRoot.ParentTree.Nums
    for index in range(0, len(numbers), 2):
        numbers[index] = int(numbers[index]) + offset


def _copy(issue: pikepdf.Pdf, value: Any) -> Any:
    """A piece's object as the issue's: an indirect object copied (once: what it refers to,
    pages included, maps to the copies already made), a direct array or dictionary rebuilt
    of copies."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return issue.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(issue, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(issue, item) for key, item in value.items()})
    return value


def _listed(kids: pikepdf.Object) -> list[pikepdf.Object]:
    return list(kids) if isinstance(kids, Array) else [kids]


def _copied(issue: pikepdf.Pdf, item: pikepdf.OutlineItem) -> pikepdf.OutlineItem:
    """A bookmark of a piece, and those under it, as the issue's (its page the copy's)."""
    destination: Any = item.destination
    if isinstance(destination, Array):
        destination = _copy(issue, destination)
    copied = pikepdf.OutlineItem(item.title, destination)
    copied.is_closed = item.is_closed
    copied.children.extend(_copied(issue, child) for child in item.children)
    return copied
