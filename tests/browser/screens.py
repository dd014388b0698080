"""What every browser journey checks of a page it reaches."""


def assert_fits(page):
    """The page scrolls only vertically: nothing is wider than the viewport.

    The width is read through a locator, which waits for the document that a click
    has started loading; `page.evaluate` right after a click could run between two
    documents and find none.
    """
    width = page.locator("html").evaluate("html => html.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{width}px wide on a {viewport}px screen at {page.url}"
