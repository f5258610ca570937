"""Prints the element structure of HTML documents, as a real parser (Python's html.parser)
reads it: for each file, one JSON line listing every start tag with its attribute names.

    python3 html_structure.py page1.html page2.html ...

The escaping property test compares it with the structure the same template gives for plain
text: any element or attribute that typed text managed to create shows up as a difference.
"""
import json
import sys
from html.parser import HTMLParser


class Structure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append([tag] + sorted(name for name, _ in attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    # A comment, declaration or processing instruction that text opened would be markup too.
    def handle_comment(self, data):
        self.tags.append(["#comment"])

    def handle_pi(self, data):
        self.tags.append(["#pi"])


for path in sys.argv[1:]:
    parser = Structure()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    parser.close()
    print(json.dumps(parser.tags))
