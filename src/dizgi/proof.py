"""Pictures of a built PDF: the proof sheet (every page at thumbnail size) and the cover
image the EPUB carries. Rendered from the PDF file itself with pypdfium2, so they show what
the file holds. A helper: the pdf stage takes its cover from here, the pipeline the sheet.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def cover_jpeg(pdf_path: Path, height: int = 1600) -> bytes:
    """The cover page as a JPEG, for the EPUB's cover image."""

    (image,) = page_images(pdf_path, height, pages=1)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()


def page_images(pdf_path: Path, height: int, pages: int | None = None) -> list[Any]:
    """The PDF's first ``pages`` pages (all by default) rendered ``height`` pixels tall, as
    RGB Pillow images (pypdfium2)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        images = []
        for index in range(len(document) if pages is None else min(pages, len(document))):
            page = document[index]
            images.append(page.render(scale=height / page.get_height()).to_pil().convert("RGB"))
        return images
    finally:
        document.close()


#: the proof sheet: pages this tall, this many to a row, on a grey ground
PROOF_PAGE_HEIGHT = 360
PROOF_PAGES_PER_ROW = 8
PROOF_GAP = 16


def render_proof(pdf_path: Path, target: Path) -> int:
    """All pages side by side at thumbnail size, as a PNG: the whole issue at a glance.
    Returns the number of pages drawn."""
    from PIL import Image

    thumbnails = page_images(pdf_path, PROOF_PAGE_HEIGHT)
    columns = min(PROOF_PAGES_PER_ROW, len(thumbnails))
    rows = -(-len(thumbnails) // columns)
    cell_width = max(image.width for image in thumbnails) + PROOF_GAP
    cell_height = PROOF_PAGE_HEIGHT + PROOF_GAP
    sheet = Image.new(
        "RGB", (columns * cell_width + PROOF_GAP, rows * cell_height + PROOF_GAP), (200, 200, 200)
    )
    for index, image in enumerate(thumbnails):
        row, column = divmod(index, columns)
        sheet.paste(image, (PROOF_GAP + column * cell_width, PROOF_GAP + row * cell_height))
    sheet.save(target, format="PNG", optimize=True)
    return len(thumbnails)
