# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import tarfile

import pytest

from ansible_collections.sriov.preflight.plugins.modules import collect

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), *(['..'] * 8)))
FIXTURES = os.path.join(REPO, 'Tests', 'Fixtures', 'hosts')
BINARY = os.environ.get('SRIOV_PREFLIGHT_BINARY', os.path.join(REPO, '.build', 'debug', 'sriov-preflight'))


def make_root(tmp_path):
    root = tmp_path / 'root'
    (root / 'sys/devices/pci0000:00/0000:00:01.0').mkdir(parents=True)
    (root / 'sys/devices/pci0000:00/0000:00:01.0/vendor').write_text('0x8086\n')
    (root / 'sys/bus/pci/devices').mkdir(parents=True)
    os.symlink('../../../devices/pci0000:00/0000:00:01.0', str(root / 'sys/bus/pci/devices/0000:00:01.0'))
    (root / 'proc').mkdir()
    (root / 'proc/cmdline').write_text('quiet intel_iommu=on\n')
    (root / 'proc/sys/kernel').mkdir(parents=True)
    (root / 'proc/sys/kernel/osrelease').write_text('6.1.0-9-amd64\n')
    (root / 'boot').mkdir()
    (root / 'boot/config-6.1.0-9-amd64').write_text('CONFIG_VFIO=m\n')
    (root / 'boot/config-5.10.0-1-amd64').write_text('old\n')
    (root / 'etc').mkdir()
    (root / 'etc/shadow').write_text('secret\n')
    (root / 'etc/other').write_text('not in the manifest\n')
    os.symlink('/etc/shadow', str(root / 'proc/escape'))
    return root


def members(path):
    with tarfile.open(path) as t:
        return dict((m.name, m) for m in t.getmembers())


def test_exactly_the_manifest(tmp_path):
    root = make_root(tmp_path)
    dest = str(tmp_path / 'out.tar.gz')
    c = collect.collect(str(root), ['# comment', 'sys/bus/pci/devices/*/vendor', 'proc/cmdline',
                                    'boot/config-{release}', 'proc/escape', 'nothing/here'], dest)
    m = members(dest)
    assert m['sys/bus/pci/devices/0000:00:01.0'].issym()
    assert m['sys/bus/pci/devices/0000:00:01.0'].linkname == '../../../devices/pci0000:00/0000:00:01.0'
    assert m['sys/devices/pci0000:00/0000:00:01.0/vendor'].isfile()
    assert 'boot/config-6.1.0-9-amd64' in m and 'boot/config-5.10.0-1-amd64' not in m
    assert 'etc/other' not in m, 'only the manifest paths'
    # an absolute link is stored relative, naming the same place inside the root, and what it names with it
    # (a read through the link reads that file)
    assert m['proc/escape'].linkname == '../etc/shadow' and m['etc/shadow'].isfile()
    assert 'MANIFEST.json' in m
    assert c.files['proc/cmdline'] == b'quiet intel_iommu=on\n'


def test_unreadable_files_are_listed(tmp_path):
    if os.geteuid() == 0:
        pytest.skip('root reads every file: cannot make one unreadable')
    root = make_root(tmp_path)
    os.chmod(str(root / 'proc/cmdline'), 0)
    dest = str(tmp_path / 'out.tar.gz')
    collect.collect(str(root), ['proc/cmdline'], dest)
    with tarfile.open(dest) as t:
        manifest = json.loads(t.extractfile('MANIFEST.json').read())
    assert manifest['unreadable'] == [{'path': 'proc/cmdline', 'error': 'permission-denied', 'reason': 'Permission denied'}]


def test_max_bytes(tmp_path):
    root = make_root(tmp_path)
    with pytest.raises(ValueError):
        collect.collect(str(root), ['proc/cmdline', 'boot/*'], str(tmp_path / 'o.tar.gz'), max_bytes=10)


def test_module_returns_path_and_sha256(run_module, tmp_path):
    root = make_root(tmp_path)
    dest = str(tmp_path / 'm.tar.gz')
    result, failed = run_module(collect.main, {'manifest': ['proc/cmdline'], 'root': str(root), 'dest': dest})
    assert not failed and result['path'] == dest and len(result['sha256']) == 64 and result['changed'] is False


@pytest.mark.skipif(not os.access(BINARY, os.X_OK), reason='%s not built: run swift build' % BINARY)
@pytest.mark.parametrize('host', sorted(os.listdir(FIXTURES)) if os.path.isdir(FIXTURES) else [])
def test_bundle_gives_the_verdicts_of_a_local_run(tmp_path, host):
    """Collect a fixture host with the binary's own manifest; `check --bundle` must equal `check --root`."""
    manifest = subprocess.check_output([BINARY, 'collect', '--manifest']).decode().splitlines()
    dest = str(tmp_path / 'h.tar.gz')
    collect.collect(os.path.join(FIXTURES, host), manifest, dest)

    def report(*args):
        return json.loads(subprocess.run([BINARY, 'check', '--format', 'json'] + list(args), stdout=subprocess.PIPE).stdout)

    def results(r):
        return [(x['id'], x['object'], x['status'], x['code'], x['message']) for x in r['results']]
    local = report('--root', os.path.join(FIXTURES, host))
    assert results(report('--bundle', dest)) == results(local)
    # Every file the facts read (its canonical path, as the archive stores it) was collected: a new read
    # missing from the manifest fails here even when the fixture's verdicts would not show it.
    stored = set(members(dest))
    read = [f['path'] for f in local['files_read'] if f['kind'] == 'file' and f['error'] is None and f['sha256']]
    assert [p for p in read if p not in stored] == []
