#!/usr/bin/env python3
"""Checks that HTML reports are self-contained and well-nested, with Python's own html.parser.

usage: check_html.py FILE...

For each file, prints one JSON line: {"file", "errors": [...], "tags": {tag: count}, "text": all text}.
An error is: an attribute that can fetch (src, href, srcset, action, poster, data, ...) whose value is not
a fragment (#...) or a data: URL; url(...) or @import in a <style> element or a style attribute that is not
#.../data:; a <script>, <link>, <base>, <iframe>, <object>, <embed> element; an event-handler attribute
(on...); <meta http-equiv=refresh>; an end tag that does not close the open element; an element left open.
Exit status 0 when no file has an error, 1 otherwise, 2 on a usage error.
"""
import json
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag the HTML standard lets a writer leave out; reports never do, so none are listed.
FETCHING_ATTRS = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background", "cite",
                  "longdesc", "manifest", "ping", "xlink:href", "lowsrc", "dynsrc", "codebase", "archive",
                  "usemap", "profile", "icon", "imagesrcset"}
FORBIDDEN_ELEMENTS = {"script", "link", "base", "iframe", "frame", "object", "embed", "applet", "portal"}
URL_RE = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
IMPORT_RE = re.compile(r"@import", re.I)


def local(value):
    v = (value or "").strip()
    return v.startswith("#") or v.lower().startswith("data:")


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors = []
        self.tags = {}
        self.stack = []
        self.text = []
        self.in_style = False

    def where(self):
        line, col = self.getpos()
        return f"line {line}:{col + 1}"

    def css(self, text, what):
        for m in URL_RE.finditer(text):
            if not local(m.group(2)):
                self.errors.append(f"{self.where()}: external url({m.group(2)}) in {what}")
        if IMPORT_RE.search(text):
            self.errors.append(f"{self.where()}: @import in {what}")

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in FORBIDDEN_ELEMENTS:
            self.errors.append(f"{self.where()}: <{tag}> element")
        for name, value in attrs:
            if name in FETCHING_ATTRS and not local(value):
                self.errors.append(f"{self.where()}: <{tag} {name}={value!r}> refers outside the file")
            if name.startswith("on"):
                self.errors.append(f"{self.where()}: <{tag}> has an event handler {name}")
            if name == "style":
                self.css(value or "", f"the style attribute of <{tag}>")
            if tag == "meta" and name == "http-equiv" and (value or "").lower() == "refresh":
                self.errors.append(f"{self.where()}: <meta http-equiv=refresh>")
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"{self.where()}: </{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.in_style:
            self.css(data, "a <style> element")
        else:
            self.text.append(data)

    def close(self):
        super().close()
        if self.stack:
            self.errors.append(f"elements left open at the end: {', '.join(self.stack)}")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    bad = False
    for path in argv[1:]:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        c = Checker()
        c.feed(source)
        c.close()
        if not source.startswith("<!DOCTYPE html>"):
            c.errors.append("no <!DOCTYPE html> first")
        bad = bad or bool(c.errors)
        print(json.dumps({"file": path, "errors": c.errors, "tags": c.tags, "text": "".join(c.text)}, ensure_ascii=False))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
