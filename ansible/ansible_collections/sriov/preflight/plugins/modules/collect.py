#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sriov-preflight maintainers
# License: see galaxy.yml

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: collect
short_description: Collect what the sriov-preflight checks read, for hosts that cannot run the binary
version_added: "0.2.0"
description:
  - Expands the patterns of C(sriov-preflight collect --manifest) on the host with the host's own Python
    (no binary is copied), and packs exactly the matching files, links and directories into a C(.tar.gz)
    whose paths are relative to the root. C(sriov-preflight check --bundle ARCHIVE) on the controller then
    judges the host as a local run would.
  - Links are stored as links (an absolute target rewritten to the relative one naming the same place);
    files with the bytes a read returns (sysfs sizes lie, so nothing trusts them); directories empty.
  - Files that exist but cannot be read are listed in the archive's C(MANIFEST.json) with the reason,
    so the replay says what could not be read.
  - On the running host (O(root=/)) the kernel log (C(dmesg)) is stored as C(var/log/dmesg).
  - Writes only the archive O(dest); reports C(changed=false). Runs the same in check mode.
author:
  - sriov-preflight maintainers (@sriov-preflight)
options:
  manifest:
    description: The patterns, as C(sriov-preflight collect --manifest) prints them (comment lines are skipped).
    type: list
    elements: str
    required: true
  root:
    description: Host root to collect from; C(/) is the running host.
    type: path
    default: /
  dest:
    description: Where to write the archive on the host.
    type: path
    default: /tmp/sriov-preflight-collect.tar.gz
  max_bytes:
    description: The most bytes collected in all; past it the module fails.
    type: int
    default: 268435456
attributes:
  check_mode:
    description: Collecting changes nothing on the host but the archive, so it runs in check mode too.
    support: full
  diff_mode:
    description: No diff.
    support: none
'''

EXAMPLES = r'''
- name: Ask the controller's binary what to collect
  ansible.builtin.command: sriov-preflight collect --manifest
  delegate_to: localhost
  run_once: true
  changed_when: false
  register: manifest

- name: Collect it on the host
  sriov.preflight.collect:
    manifest: "{{ manifest.stdout_lines }}"
  register: collected

- name: Fetch the archive
  ansible.builtin.fetch:
    src: "{{ collected.path }}"
    dest: "results/{{ inventory_hostname }}.tar.gz"
    flat: true
'''

RETURN = r'''
path:
  description: The archive on the host.
  returned: success
  type: str
sha256:
  description: sha256 of the archive.
  returned: success
  type: str
files:
  description: How many files were stored.
  returned: success
  type: int
links:
  description: How many links were stored.
  returned: success
  type: int
unreadable:
  description: Paths that exist but could not be read, with the reason.
  returned: success
  type: dict
'''

import errno
import fnmatch
import glob
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule

MAX_LINK_HOPS = 40
FILE_LIMIT = 64 << 20


class Collection(object):
    """What was collected, keyed by root-relative path."""

    def __init__(self, root, max_bytes):
        self.root = root.rstrip('/') or '/'
        self.max_bytes = max_bytes
        self.files = {}
        self.links = {}
        self.dirs = set()
        self.unreadable = {}
        self.bytes = 0
        self.resolved = {}

    def full(self, rel):
        return os.path.join(self.root, rel) if rel else self.root

    @staticmethod
    def inside(rel):
        """A normalized root-relative path, or None when it climbs out of the root."""
        norm = os.path.normpath(rel) if rel else ''
        if norm in ('.', ''):
            return ''
        if norm == '..' or norm.startswith('../') or norm.startswith('/'):
            return None
        return norm

    def link_target(self, rel, text):
        """The root-relative path a link at REL names (an absolute text is inside the root)."""
        if text.startswith('/'):
            return self.inside(text.lstrip('/'))
        return self.inside(os.path.join(os.path.dirname(rel), text))

    def add_link(self, rel, target):
        text = os.path.relpath(target or '.', os.path.dirname(rel) or '.')
        self.links[rel] = text

    def flattened(self, rel):
        """The link text of a small regular file holding only a relative path (a capture that flattened its
        links into files, as sriov-preflight's HostRoot reads them), else None."""
        path = self.full(rel)
        try:
            size = os.path.getsize(path)
            if size < 3 or size > 1024 or not os.path.isfile(path) or os.path.islink(path):
                return None
            with open(path, 'rb') as f:
                data = f.read(1024)
        except (IOError, OSError):
            return None
        if not data.startswith(b'../'):
            return None
        data = data.rstrip(b'\n ')
        if b'\n' in data or b'\0' in data:
            return None
        try:
            return data.decode('utf-8')
        except UnicodeDecodeError:
            return None

    def resolve(self, rel):
        """Walks REL component by component as the kernel would (and HostRoot, for flattened links), storing
        every link met; returns the real root-relative path, or None when it does not exist or leaves the root."""
        if rel in self.resolved:
            return self.resolved[rel]
        parts = [p for p in rel.split('/') if p]
        cur = ''
        hops = 0
        real = None
        while True:
            if not parts:
                real = cur
                break
            nxt = cur + '/' + parts[0] if cur else parts[0]
            parts = parts[1:]
            path = self.full(nxt)
            text = None
            if os.path.islink(path):
                text = os.readlink(path)
            elif os.path.isfile(path):
                text = self.flattened(nxt)
                if text is None:
                    if parts:
                        break
                    cur = nxt
                    continue
                self.add_file(nxt)
            if text is not None:
                hops += 1
                if hops > MAX_LINK_HOPS:
                    self.unreadable[nxt] = ('link-loop', 'too many levels of symbolic links')
                    break
                target = self.link_target(nxt, text)
                if target is None:
                    self.unreadable[nxt] = ('io', 'link leaves the root')
                    break
                if os.path.islink(path):
                    self.add_link(nxt, target)
                parts = [p for p in target.split('/') if p] + parts
                cur = ''
                continue
            if not os.path.lexists(path):
                break
            cur = nxt
        self.resolved[rel] = real
        return real

    def expand(self, pattern):
        """The root-relative paths PATTERN matches ('*' within a component), links followed on the way."""
        found = ['']
        for comp in [c for c in pattern.split('/') if c]:
            nxt = []
            for logical in found:
                real = self.resolve(logical) if logical else ''
                if real is None or not os.path.isdir(self.full(real)):
                    continue
                if glob.has_magic(comp):
                    try:
                        names = sorted(os.listdir(self.full(real)))
                    except OSError:
                        continue
                    names = [n for n in names if fnmatch.fnmatchcase(n, comp) and (comp.startswith('.') or not n.startswith('.'))]
                else:
                    names = [comp] if os.path.lexists(os.path.join(self.full(real), comp)) else []
                nxt += [(logical + '/' + n) if logical else n for n in names]
            found = nxt
        return found

    def add_match(self, rel):
        parts = [p for p in rel.split('/') if p]
        if not parts:
            return
        # The parent through links (each stored), then the last component as it is.
        parent = self.resolve('/'.join(parts[:-1])) if len(parts) > 1 else ''
        if parent is None:
            return
        last = (parent + '/' if parent else '') + parts[-1]
        path = self.full(last)
        if os.path.islink(path):
            target = self.link_target(last, os.readlink(path))
            if target is None:
                self.unreadable[last] = ('io', 'link leaves the root')
                return
            self.add_link(last, target)
            real = self.resolve(target)
            if real is not None and os.path.isdir(self.full(real)):
                self.dirs.add(real)
            elif real is not None and os.path.isfile(self.full(real)):
                self.add_file(real)
            return
        if os.path.isdir(path):
            self.dirs.add(last)
        elif os.path.isfile(path):
            self.add_file(last)
            text = self.flattened(last)
            target = self.link_target(last, text) if text else None
            real = self.resolve(target) if target is not None else None
            if real is not None and os.path.isdir(self.full(real)):
                self.dirs.add(real)
        elif os.path.lexists(path):
            self.unreadable[last] = ('io', 'special file: not copied')

    def add_file(self, rel, data=None):
        if rel in self.files:
            return
        if data is None:
            try:
                with open(self.full(rel), 'rb') as f:
                    data = f.read(FILE_LIMIT + 1)
            except (IOError, OSError) as e:
                code = 'permission-denied' if e.errno in (errno.EACCES, errno.EPERM) else 'io'
                self.unreadable[rel] = (code, os.strerror(e.errno) if e.errno else str(e))
                return
        if len(data) > FILE_LIMIT:
            data = data[:FILE_LIMIT]
        self.bytes += len(data)
        if self.bytes > self.max_bytes:
            raise ValueError('more than max_bytes (%d) to collect' % self.max_bytes)
        self.files[rel] = data

    def archive(self, dest):
        members = {}
        for d in self.dirs:
            members[d] = ('dir', None)
        for p, t in self.links.items():
            members[p] = ('link', t)
        for p, b in self.files.items():
            if p not in members:
                members[p] = ('file', b)
        # `root` "/" tells the replay that the archive holds every path the facts ask for of a live host, so
        # what is not in it was absent there (a verdict), as in a local run; another root is a capture.
        manifest = json.dumps({'collector': 'sriov.preflight.collect', 'root': self.root, 'unreadable': [
            {'path': p, 'error': c, 'reason': r} for p, (c, r) in sorted(self.unreadable.items())]},
            indent=2, sort_keys=True).encode('utf-8')
        members['MANIFEST.json'] = ('file', manifest)
        parents = set()
        for p in members:
            parts = p.split('/')
            for i in range(1, len(parts)):
                parents.add('/'.join(parts[:i]))
        now = int(time.time())
        # A temporary file of our own beside DEST (created exclusively, mode 0600: a name planted in a shared
        # directory such as /tmp is never followed or reused), renamed over DEST when whole, removed otherwise.
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(dest) + '.', suffix='.tmp',
                                   dir=os.path.dirname(os.path.abspath(dest)))
        try:
            with os.fdopen(fd, 'wb') as raw:
                with tarfile.open(fileobj=raw, mode='w:gz', format=tarfile.GNU_FORMAT) as tar:
                    for name in sorted(parents | set(members)):
                        kind, value = members.get(name, ('dir', None))
                        info = tarfile.TarInfo(name)
                        info.mtime = now
                        if kind == 'dir':
                            info.type = tarfile.DIRTYPE
                            info.mode = 0o755
                            tar.addfile(info)
                        elif kind == 'link':
                            info.type = tarfile.SYMTYPE
                            info.linkname = value
                            info.mode = 0o777
                            tar.addfile(info)
                        else:
                            info.size = len(value)
                            info.mode = 0o644
                            tar.addfile(info, io.BytesIO(value))
            os.rename(tmp, dest)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def collect(root, patterns, dest, max_bytes=256 << 20, kernel_log=None):
    """Collects PATTERNS under ROOT into the archive DEST; returns the Collection."""
    c = Collection(root, max_bytes)
    release = ''
    for p in ('proc/sys/kernel/osrelease',):
        try:
            with open(c.full(p), 'rb') as f:
                release = f.read(256).decode('utf-8', 'replace').strip()
        except (IOError, OSError):
            pass
    if not release and c.root == '/':
        release = os.uname()[2]
    for pattern in patterns:
        pattern = pattern.strip()
        if not pattern or pattern.startswith('#'):
            continue
        if '{release}' in pattern:
            if not release:
                continue
            pattern = pattern.replace('{release}', release)
        for rel in c.expand(pattern):
            c.add_match(rel)
    if kernel_log is not None:
        c.files.pop('var/log/dmesg', None)
        c.add_file('var/log/dmesg', kernel_log)
    c.archive(dest)
    return c


def main():
    module = AnsibleModule(
        argument_spec=dict(
            manifest=dict(type='list', elements='str', required=True),
            root=dict(type='path', default='/'),
            dest=dict(type='path', default='/tmp/sriov-preflight-collect.tar.gz'),
            max_bytes=dict(type='int', default=268435456),
        ),
        supports_check_mode=True,
    )
    p = module.params
    kernel_log = None
    if p['root'].rstrip('/') == '':
        dmesg = module.get_bin_path('dmesg')
        if dmesg:
            rc, out, err = module.run_command([dmesg], binary_data=True, check_rc=False)
            if rc == 0:
                kernel_log = out if isinstance(out, bytes) else out.encode('utf-8', 'surrogateescape')
            else:
                module.warn('dmesg failed (%s): the kernel log is not in the archive' % (err.strip() if err else rc))
    try:
        c = collect(p['root'], p['manifest'], p['dest'], p['max_bytes'], kernel_log)
    except (ValueError, IOError, OSError) as e:
        module.fail_json(msg='collect failed: %s' % e)
    h = hashlib.sha256()
    with open(p['dest'], 'rb') as f:
        for block in iter(lambda: f.read(1 << 16), b''):
            h.update(block)
    module.exit_json(changed=False, path=p['dest'], sha256=h.hexdigest(), files=len(c.files), links=len(c.links),
                     bytes=c.bytes, unreadable=dict((k, v[1]) for k, v in c.unreadable.items()))


if __name__ == '__main__':
    main()
