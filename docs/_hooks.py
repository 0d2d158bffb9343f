"""MkDocs hook: links from a page to a script in ``examples/`` point to the page that shows it.

In the repository a page may link to ``../../examples/some_script.py`` (correct when browsing the
sources); on the site that file does not exist, so such links are rewritten to the page that embeds
the script (with ``--8<--``).  Links to scripts no page embeds are left alone, so that the strict
build still reports them as broken.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

# script -> page that embeds it (a "The whole script" section, or the example itself)
EMBEDDED = {
    "tutorial_1_cayley_to_penalty.py": "tutorials/1-cayley-to-penalty.md",
    "tutorial_2_so3_tensors.py": "tutorials/2-so3-tensors.md",
    "tutorial_3_one_line_penalty.py": "tutorials/3-one-line-penalty.md",
    "property_test_your_rep.py": "tutorials/4-property-testing.md",
    "howto_custom_lie_group.py": "how-to/custom-lie-group.md",
    "howto_convolutions.py": "how-to/convolutions.md",
    "howto_export_projector.py": "how-to/export-projectors.md",
    "howto_ddp.py": "how-to/ddp.md",
}
_LINK = re.compile(r"\]\(((?:\.\./)+)examples/([A-Za-z0-9_]+\.py)\)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    src = page.file.src_uri
    depth = src.count("/")

    def repl(m: re.Match[str]) -> str:
        ups, name = m.group(1), m.group(2)
        target = EMBEDDED.get(name)
        if target is None or ups.count("../") != depth + 1:   # not a link to the repository's examples/
            return m.group(0)
        return "](" + posixpath.relpath(target, posixpath.dirname(src) or ".") + ")"

    return _LINK.sub(repl, markdown)
