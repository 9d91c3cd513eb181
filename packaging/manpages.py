#!/usr/bin/env python3
"""Finishes the pages of swift-argument-parser's generate-manual plugin (--multi-page) for installation.

usage: manpages.py PLUGIN_OUTPUT_DIR DEST_DIR VERSION

- `sriov-preflight.decode.dmar.1` becomes `sriov-preflight-decode-dmar.1` (as git-commit(1)), in .Dt and in
  the SEE ALSO references too;
- the plugin's generic EXIT STATUS (`.Ex -std`: "0 on success, >0 on error") is replaced by what each
  command really returns (the codes of SRIOVPreflight.ExitCode and of the commands' `throw ExitCode(…)`);
- NAME holds the page's name (whatis), SYNOPSIS the command as typed;
- the footer names the tool and its version (.Os), not "BSD";
- a blank line (between a discussion's paragraphs) becomes .Pp;
- every page ends with a newline.
"""
import os
import re
import sys

TOOL = "sriov-preflight"

VERDICT = [
    ("0", "Ready: no check failed and none could not decide (with --strict, none warned either)."),
    ("1", "Not ready: at least one check failed (with --strict, a warning counts as a failure)."),
    ("2", "Undecided: nothing failed, but at least one check could not decide (an error result: "
          "evidence that could not be read)."),
]
USAGE = ("64", "Usage error: an unknown option, argument, check or category, or an output file that cannot "
               "be written.")

EXIT = {
    "": VERDICT + [("64", "Usage error: an unknown option, check or category; a --bundle that is not a readable "
                          ".tar.gz or holds unsafe members; an output file that cannot be written.")],
    "check": VERDICT + [("64", "Usage error: an unknown option, check or category; a --bundle that is not a "
                               "readable .tar.gz or holds unsafe members; an output file that cannot be written.")],
    "report": [(c, "As the saved run: " + t[0].lower() + t[1:]) for c, t in VERDICT]
              + [("64", "The file is not a report this version reads, or cannot be read; or a usage error.")],
    "aggregate": [("0", "Every host is ready."), ("1", "At least one host is not ready."),
                  ("2", "At least one host is unreachable, has no report, has a report this version does not read, "
                        "or is undecided."), USAGE],
    "bundle": [("0", "The bundle was written."),
               ("1", "The bundle could not be written (the message says why)."), USAGE],
    "fix": [("0", "The plan was shown, applied or undone."),
            ("1", "A change was refused or failed (the message says why and what was left as it was)."), USAGE],
    "decode dmar": [("0", "Every table was decoded."), ("1", "At least one table could not be decoded."),
                    ("64", "Usage error, or a table file that cannot be read.")],
    "decode ivrs": [("0", "Every table was decoded."), ("1", "At least one table could not be decoded."),
                    ("64", "Usage error, or a table file that cannot be read.")],
}
DEFAULT = [("0", "Success."), USAGE, ("1", "Any other error (the message says which).")]


def exit_section(command):
    rows = EXIT.get(command, DEFAULT)
    out = ['.Sh "EXIT STATUS"', ".Bl -tag -width 4n"]
    for code, text in rows:
        out += [".It " + code, text]
    out.append(".El")
    return "\n".join(out)


def main(src, dest, version):
    os.makedirs(dest, exist_ok=True)
    pages = sorted(f for f in os.listdir(src) if f.endswith(".1"))
    if not pages:
        sys.exit(f"manpages.py: no pages in {src}")
    for page in pages:
        stem = page[:-2]
        command = " ".join(stem.split(".")[1:])
        text = open(os.path.join(src, page), encoding="utf-8").read()
        # Names: dots of the plugin's multi-page names become dashes.
        text = re.sub(r"^(\.Dt )(\S+)", lambda m: m.group(1) + m.group(2).replace(".", "-"), text, flags=re.M)
        text = re.sub(r"^(\.Xr )(%s\S*)" % re.escape(TOOL), lambda m: m.group(1) + m.group(2).replace(".", "-"),
                      text, flags=re.M)
        text = re.sub(r"^\.Os$", ".Os %s %s" % (TOOL, version), text, flags=re.M)
        # whatis wants the page's own name in NAME (as git-commit(1)); SYNOPSIS shows the command as typed.
        if command:
            text = re.sub(r'^\.Nm "%s %s"$' % (re.escape(TOOL), re.escape(command)), ".Nm " + stem.replace(".", "-"),
                          text, count=1, flags=re.M)
            text = re.sub(r"^(\.Sh SYNOPSIS\n)\.Nm$", r'\1.Nm "%s %s"' % (TOOL, command), text, count=1, flags=re.M)
        before = text
        text = re.sub(r'^\.Sh "EXIT STATUS"\n\.Ex -std\n?', exit_section(command) + "\n", text, flags=re.M)
        if text == before:
            sys.exit(f"manpages.py: {page}: no generic EXIT STATUS section to replace (plugin output changed?)")
        # A blank line between the paragraphs of a discussion is a paragraph break in mdoc (.Pp); left blank,
        # mandoc and groff warn "Empty input line".
        text = re.sub(r"(?<=\n)\n+(?=[^\n])", ".Pp\n", text)
        if not text.endswith("\n"):
            text += "\n"
        with open(os.path.join(dest, stem.replace(".", "-") + ".1"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
