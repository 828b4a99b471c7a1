"""mkdocs hook: the docstrings' Sphinx roles (``:func:`x```) shown as plain code, without the role's name."""
import re

ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|obj):(?=<code)")


def on_page_content(html: str, **kwargs) -> str:
    """Drop the role names the docstrings carry before each code span."""
    return ROLE.sub("", html)
