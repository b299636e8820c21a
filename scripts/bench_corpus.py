"""Collects the benchmark corpus for scripts/make-bench-corpus (Python standard library only)."""
import glob
import gzip
import html.parser
import json
import os
import sys


class TextExtractor(html.parser.HTMLParser):
    """Visible text of an HTML page, paragraphs separated by blank lines."""

    BLOCKS = {"p", "div", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dd", "dt", "section"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(path):
    extractor = TextExtractor()
    with open(path, encoding="utf-8", errors="replace") as f:
        extractor.feed(f.read())
    return "".join(extractor.parts).strip()


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        return f.read()


def fortunes(path):
    for entry in read_text(path).split("\n%\n"):
        if entry.strip():
            yield entry.strip()


def documents():
    kernel = "/usr/share/doc/linux-doc-6.1"
    for path in sorted(glob.glob(kernel + "/Documentation/**/*.gz", recursive=True)):
        yield read_text(path)
    for path in sorted(glob.glob(kernel + "/html/**/*.html", recursive=True)):
        yield html_text(path)
    python_doc = "/usr/share/doc/python3.11/html"
    for path in sorted(glob.glob(python_doc + "/_sources/**/*.txt", recursive=True)):
        yield read_text(path)
    for path in sorted(glob.glob(python_doc + "/**/*.html", recursive=True)):
        yield html_text(path)
    for path in sorted(glob.glob("/usr/lib/python3.11/**/*.py", recursive=True)):
        yield read_text(path)
    for path in sorted(glob.glob("/usr/share/games/fortunes/*")):
        if os.path.isfile(path) and not path.endswith((".dat", ".u8")):
            yield from fortunes(path)


def main(out):
    size = 0
    with open(os.path.join(out, "corpus.jsonl.part"), "w", encoding="utf-8") as jsonl, \
            open(os.path.join(out, "corpus.txt.part"), "w", encoding="utf-8") as txt:
        for text in documents():
            text = text.strip()
            if not text:
                continue
            jsonl.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
            txt.write(text + "\n\n")
            size += len(text.encode("utf-8"))
    for name in ("corpus.jsonl", "corpus.txt"):
        os.replace(os.path.join(out, name + ".part"), os.path.join(out, name))
    print(f"bench corpus: {size / 1e6:.1f} MB of text in {out}/corpus.jsonl and corpus.txt", file=sys.stderr)
    if size < 100e6:
        sys.exit(f"bench corpus is only {size / 1e6:.1f} MB; expected at least 100 MB")


if __name__ == "__main__":
    main(sys.argv[1])
