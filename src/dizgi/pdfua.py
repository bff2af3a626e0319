"""PDF/UA-1 on top of WeasyPrint's tagged PDF/A-3a: what WeasyPrint 70 leaves undone,
finished with pikepdf after it has written the file.

- **Links.** WeasyPrint gives an inline box inside a link (the ``<sup>`` of a note call, the
  spans of a contents entry) a link annotation of its own, owned in the structure tree by
  that box's ``Span`` or ``NonStruct`` element: a screen reader finds a link outside any
  ``Link`` element (ISO 14289-1 7.18.5). Each such annotation moves, with its object
  reference, into the nearest ``Link`` element above its owner. And each link annotation's
  ``/Contents`` says where it goes in words (*Not 3*, *3: metne dön*, the article's title),
  not the anchor's id.
- **Pagination.** WeasyPrint tags the running heads and folios (the page-margin boxes) as
  marked content but leaves them out of the structure tree (an artifact there needs PDF
  2.0). Their marked content becomes ``/Artifact`` of type ``/Pagination`` and leaves the
  parent tree.
- **Lists.** WeasyPrint gives a list item its ``LBody`` only where the layout made an
  anonymous block inside it; the item of a tight list (``<li>text</li>``) or one holding a
  paragraph gets its label and content straight under ``LI`` (ISO 14289-1 7.6: an ``LI``
  holds ``Lbl`` and ``LBody``). Whatever is not the label moves into a new ``LBody``; an
  ``LI`` with nothing in it (an item's fragment on a page that draws none of it) goes.
- **Repeated table heads.** A table that crosses pages repeats its head rows at the top
  of each (``print.css``), and WeasyPrint tags every copy: a screen reader reads the head
  again mid-table, and a checker takes a line repeated at the top of three pages for a
  running head. A head whose text is the same as the head of the table fragment ending
  the page before is a pagination artifact, out of the structure tree.
- **List labels in reading order.** WeasyPrint paints every list label after the page's
  text; ``labelorder`` moves each to where the structure tree reads it.
- **Languages.** Each passage in another language gets its ``/Lang`` (``pdflang``).
- **Identification.** The XMP says ``pdfuaid:part 1``, with the ``pdfaExtension`` schema
  description PDF/A asks for a namespace it does not know.

The same input gives the same bytes: the content streams are rewritten from their parsed
instructions, the parent tree is written back in order, and qpdf's deterministic /ID is a
hash of the content.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name

from . import labelorder, pdflang

#: the XMP that says PDF/UA-1, and the schema description PDF/A needs for it
PDFUA_XMP = (
    '<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="">'
    "<pdfuaid:part>1</pdfuaid:part></rdf:Description>"
    '<rdf:Description xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" rdf:about="">'
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    "<pdfaProperty:name>part</pdfaProperty:name>"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
    "</pdfaProperty:description>"
    "</rdf:li></rdf:Seq></pdfaSchema:property>"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
)


def finish(data: bytes, link_labels: Mapping[str, str], passages: Sequence[pdflang.Passage] = ()) -> bytes:
    """The PDF WeasyPrint wrote (``data``) made PDF/UA-1. ``link_labels`` says in words
    where each link goes, by its target: an anchor's id or a URI; ``passages`` are the
    HTML's elements in another language, each marked with it (``pdflang``)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = ParentTree(pdf)
        _links_in_link_elements(pdf, tree, link_labels)
        _margins_as_artifacts(pdf, tree)
        _list_bodies(pdf, tree)
        _repeated_table_heads(pdf, tree)
        labelorder.paint_labels_in_reading_order(pdf, tree.root)
        pdflang.mark_languages(pdf, data, tree.root, passages)
        tree.write()
        _declare_pdfua(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


class ParentTree:
    """The structure tree's parent tree (WeasyPrint writes one flat ``/Nums`` array): for
    each page, the element of each marked-content id; for each annotation, its element."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.root = pdf.Root.StructTreeRoot
        numbers = self.root.ParentTree.Nums
        self.entries: dict[int, pikepdf.Object] = {
            int(numbers[index]): numbers[index + 1] for index in range(0, len(numbers), 2)
        }

    def write(self) -> None:
        nums = Array()
        for key in sorted(self.entries):
            nums.append(key)
            nums.append(self.entries[key])
        self.root.ParentTree.Nums = nums

    def reachable(self) -> set[tuple[int, int]]:
        """The elements the structure tree holds (by object number), from its root down."""
        seen: set[tuple[int, int]] = set()
        stack = list(_kids(self.root))
        while stack:
            element = stack.pop()
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
            stack.extend(_kids(element))
        return seen


def _kids(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The structure elements directly under ``element`` (not marked content, not OBJRs)."""
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid


def _links_in_link_elements(pdf: pikepdf.Pdf, tree: ParentTree, labels: Mapping[str, str]) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != Name.Link:
                continue
            target = _target(annotation)
            if target in labels:
                annotation.Contents = pikepdf.String(labels[target])
            key = annotation.get("/StructParent")
            if key is None or int(key) not in tree.entries:
                continue
            owner = tree.entries[int(key)]
            if owner.get("/S") == Name.Link:
                continue
            link: pikepdf.Object | None = owner
            while link is not None and link.get("/S") != Name.Link:
                link = link.get("/P")
            if link is None:
                continue
            reference = _take_reference(owner, annotation)
            if reference is None:
                continue
            kids = link.K if isinstance(link.K, Array) else Array([link.K])
            kids.append(reference)
            link.K = kids
            tree.entries[int(key)] = link


def _target(annotation: pikepdf.Object) -> str:
    """Where a link annotation goes: its named destination, or its action's URI."""
    destination = annotation.get("/Dest")
    if destination is not None and not isinstance(destination, Array):
        return str(destination)
    action = annotation.get("/A")
    if action is not None:
        if "/URI" in action:
            return str(action.URI)
        if "/D" in action and not isinstance(action.D, Array):
            return str(action.D)
    return ""


def _take_reference(owner: pikepdf.Object, annotation: pikepdf.Object) -> pikepdf.Object | None:
    """Remove from ``owner`` the object reference (OBJR) to ``annotation``, and return it."""
    kids = owner.get("/K")
    if not isinstance(kids, Array):
        return None
    for index, kid in enumerate(kids):
        if (
            isinstance(kid, Dictionary)
            and kid.get("/Type") == Name.OBJR
            and kid.Obj.objgen == annotation.objgen
        ):
            del kids[index]
            return kid
    return None


def _margins_as_artifacts(pdf: pikepdf.Pdf, tree: ParentTree) -> None:
    """Marked content owned by elements outside the structure tree (the page-margin boxes)
    becomes pagination artifacts."""
    reachable = tree.reachable()
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        if key is None or int(key) not in tree.entries:
            continue
        owners = tree.entries[int(key)]
        outside = {
            mcid
            for mcid, owner in enumerate(owners)
            if isinstance(owner, Dictionary) and owner.objgen not in reachable
        }
        if outside:
            _as_artifacts(pdf, page, outside, tree)


def _marks(instruction: pikepdf.ContentStreamInstruction, mcids: set[int]) -> bool:
    """Does the instruction begin marked content with one of ``mcids``?"""
    operands = instruction.operands
    if str(instruction.operator) != "BDC" or len(operands) != 2 or not isinstance(operands[1], Dictionary):
        return False
    mcid = operands[1].get("/MCID")
    return mcid is not None and int(mcid) in mcids


def _list_bodies(pdf: pikepdf.Pdf, tree: ParentTree) -> None:
    """Each ``LI`` without an ``LBody`` gets one holding all it held but its ``Lbl``: the
    structure elements, marked content and annotations move, and the parent tree with them."""
    for element in _descendants(tree.root):  # listed before any changes
        if element.get("/S") != Name.LI or any(kid.get("/S") == Name.LBody for kid in _kids(element)):
            continue
        held = element.get("/K")
        kids = list(held) if isinstance(held, Array) else [] if held is None else [held]
        label = [kid for kid in kids if isinstance(kid, Dictionary) and kid.get("/S") == Name.Lbl]
        content = [kid for kid in kids if not (isinstance(kid, Dictionary) and kid.get("/S") == Name.Lbl)]
        if not kids:  # the fragment of an item on a page that draws none of it
            _remove(element)
            continue
        if not content:
            continue
        body = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.LBody, P=element, K=Array(content), Pg=element.Pg)
        )
        for kid in content:
            _reparent(kid, element, body, tree)
        element.K = Array([*label, body])


def _repeated_table_heads(pdf: pikepdf.Pdf, tree: ParentTree) -> None:
    """The head rows of a table's continuation on the next page become artifacts."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    texts: dict[int, dict[int, bytes]] = {}  # page -> MCID -> the text it shows, as written

    def head_of(table: pikepdf.Object) -> tuple[pikepdf.Object, int, list[int]] | None:
        head = next((kid for kid in _kids(table) if kid.get("/S") == Name.THead), None)
        page = head.get("/Pg") if head is not None else None
        if head is None or page is None or page.objgen not in pages:
            return None
        index = pages[page.objgen]
        if any(part.get("/Pg") is not None and part.Pg.objgen != page.objgen for part in _descendants(head)):
            return None
        return head, index, [mcid for part in [head, *_descendants(head)] for mcid in _mcids(part)]

    def shown(index: int, mcids: list[int]) -> bytes:
        if index not in texts:
            texts[index] = _text_by_mcid(pdf.pages[index])
        return b"\x00".join(texts[index].get(mcid, b"?") for mcid in mcids)

    tables = [element for element in _descendants(tree.root) if element.get("/S") == Name.Table]
    heads = [head_of(table) for table in tables]
    repeats: dict[int, set[int]] = {}
    for table, previous, current in zip(tables[1:], heads[:-1], heads[1:], strict=True):
        if previous is None or current is None or current[1] != previous[1] + 1 or not current[2]:
            continue
        if shown(previous[1], previous[2]) != shown(current[1], current[2]):
            continue
        head = current[0]
        table.K = Array(
            [kid for kid in table.K if not (isinstance(kid, Dictionary) and kid.objgen == head.objgen)]
        )
        repeats.setdefault(current[1], set()).update(current[2])
    for index, mcids in repeats.items():
        _as_artifacts(pdf, pdf.pages[index], mcids, tree)


def _descendants(element: pikepdf.Object) -> list[pikepdf.Object]:
    """The structure elements under ``element``, in document order."""
    found = []
    for kid in _kids(element):
        found += [kid, *_descendants(kid)]
    return found


def _mcids(element: pikepdf.Object) -> list[int]:
    """The marked-content ids an element holds directly (integers, or MCRs)."""
    kids = element.get("/K")
    found = []
    for kid in kids if isinstance(kids, Array) else [] if kids is None else [kids]:
        if isinstance(kid, int):
            found.append(kid)
        elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
            found.append(int(kid.MCID))
    return found


def _text_by_mcid(page: pikepdf.Page) -> dict[int, bytes]:
    """The operands of the text a page shows in each marked-content sequence, by MCID."""
    shown: dict[int, list[bytes]] = {}
    open_ids: list[int | None] = []
    for instruction in pikepdf.parse_content_stream(page):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            operands = instruction.operands
            mcid = (
                operands[1].get("/MCID")
                if operator == "BDC" and isinstance(operands[1], Dictionary)
                else None
            )
            open_ids.append(int(mcid) if mcid is not None else (open_ids[-1] if open_ids else None))
        elif operator == "EMC" and open_ids:
            open_ids.pop()
        elif operator in ("Tj", "TJ", "'", '"') and open_ids and open_ids[-1] is not None:
            shown.setdefault(open_ids[-1], []).append(pikepdf.unparse_content_stream([instruction]))
    return {mcid: b"".join(parts) for mcid, parts in shown.items()}


def _as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int], tree: ParentTree) -> None:
    """The marked content ``mcids`` of ``page`` becomes pagination artifacts, out of the
    parent tree."""
    changed: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInstruction) and _marks(instruction, mcids):
            instruction = pikepdf.ContentStreamInstruction(
                [Name.Artifact, Dictionary(Type=Name.Pagination)], pikepdf.Operator("BDC")
            )
        changed.append(instruction)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(changed))
    key = page.obj.get("/StructParents")
    owners = tree.entries.get(int(key)) if key is not None else None
    if owners is not None:
        for mcid in mcids:
            if mcid < len(owners):
                owners[mcid] = pikepdf.Object.parse(b"null")


def _remove(element: pikepdf.Object) -> None:
    """Take ``element`` out of its parent's kids."""
    parent = element.get("/P")
    if parent is None:
        return
    kids = parent.get("/K")
    if isinstance(kids, Array):
        parent.K = Array(
            [kid for kid in kids if not (isinstance(kid, Dictionary) and kid.objgen == element.objgen)]
        )
    elif isinstance(kids, Dictionary) and kids.objgen == element.objgen:
        parent.K = Array()


def _reparent(kid: pikepdf.Object, old: pikepdf.Object, new: pikepdf.Object, tree: ParentTree) -> None:
    """``kid`` of ``old`` now belongs to ``new``: a structure element's ``/P``, or the parent
    tree's entry for marked content (an MCID on ``old``'s page, or an MCR) or an annotation."""
    if isinstance(kid, Dictionary) and "/S" in kid:
        kid.P = new
        return
    if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
        key = kid.Obj.get("/StructParent")
        if key is not None and int(key) in tree.entries:
            tree.entries[int(key)] = new
        return
    if isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
        page, mcid = kid.get("/Pg", old.get("/Pg")), int(kid.MCID)
    else:
        page, mcid = old.get("/Pg"), int(kid)
    key = page.get("/StructParents") if page is not None else None
    owners = tree.entries.get(int(key)) if key is not None else None
    if owners is not None and mcid < len(owners):
        owners[mcid] = new


def _declare_pdfua(pdf: pikepdf.Pdf) -> None:
    stream = pdf.Root.Metadata
    stream.write(declared(stream.read_bytes()))


def declared(xmp: bytes) -> bytes:
    """An XMP packet that says PDF/UA-1 (and describes the schema for PDF/A)."""
    text = xmp.decode()
    if "pdfuaid:part" in text:
        return xmp
    head, separator, tail = text.rpartition("</rdf:RDF>")
    return (head + PDFUA_XMP + separator + tail).encode()
