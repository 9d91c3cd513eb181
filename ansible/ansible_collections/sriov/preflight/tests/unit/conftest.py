# -*- coding: utf-8 -*-
"""Unit-test helpers: run a module's main() with arguments, catch exit_json / fail_json, and a fake binary."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json
import os
import stat
import sys

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

HERE = os.path.dirname(os.path.abspath(__file__))
# The collection tree is importable as ansible_collections.sriov.preflight from the repository's ansible/ folder.
sys.path.insert(0, os.path.abspath(os.path.join(HERE, '..', '..', '..', '..', '..')))


class Exit(Exception):
    def __init__(self, kwargs, failed):
        super(Exit, self).__init__(kwargs.get('msg'))
        self.result = kwargs
        self.failed = failed


@contextlib.contextmanager
def module_args(args):
    """Module arguments for ansible-core 2.14 … 2.19+."""
    args = dict(args, _ansible_remote_tmp='/tmp', _ansible_keep_remote_files=False)
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core >= 2.19
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
    else:
        old = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = old


@pytest.fixture
def run_module(monkeypatch):
    warnings = []

    def exit_json(self, **kwargs):
        raise Exit(kwargs, False)

    def fail_json(self, **kwargs):
        raise Exit(kwargs, True)

    def warn(self, w):
        warnings.append(w)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(basic.AnsibleModule, 'warn', warn)

    def run(main, args, check_mode=False, diff=False):
        del warnings[:]
        a = dict(args)
        if check_mode:
            a['_ansible_check_mode'] = True
        if diff:
            a['_ansible_diff'] = True
        with module_args(a):
            with pytest.raises(Exit) as e:
                main()
        e.value.result['_warnings'] = list(warnings)
        return e.value.result, e.value.failed

    return run


def report(status_counts=None, results=None, ready=True, exit_code=0):
    results = results or [
        {'id': 'kernel.iommu-enabled', 'object': 'host', 'status': 'pass', 'message': 'IOMMU active', 'ignored': False},
        {'id': 'sriov.vfs', 'object': '0000:3b:00.0', 'status': 'warn', 'message': 'no VFs enabled', 'ignored': False},
        {'id': 'nic.link', 'object': 'eno1', 'status': 'warn', 'message': 'ignored warning', 'ignored': True},
    ]
    summary = {'pass': 1, 'warn': 1, 'fail': 0, 'skip': 0, 'error': 0, 'ignored': 1, 'ready': ready, 'exit_code': exit_code}
    summary.update(status_counts or {})
    return {'schema_version': 2, 'tool': {'name': 'sriov-preflight', 'version': '0.2.0'}, 'summary': summary,
            'results': results}


@pytest.fixture
def fake_binary(tmp_path):
    """A fake sriov-preflight: prints STDOUT, exits RC, and logs its argv (one JSON line per call)."""

    def make(stdout='', rc=0, stderr='', apply_stdout=None):
        log = tmp_path / 'calls.jsonl'
        path = tmp_path / 'sriov-preflight'
        script = [
            '#!%s' % sys.executable,
            'import json, sys',
            'open(%r, "a").write(json.dumps(sys.argv[1:]) + "\\n")' % str(log),
            'apply = "--apply" in sys.argv',
            'out = %r if apply and %r is not None else %r' % (apply_stdout, apply_stdout, stdout),
            'sys.stdout.write(out)',
            'sys.stderr.write(%r)' % stderr,
            'sys.exit(%d)' % rc,
        ]
        path.write_text('\n'.join(script) + '\n')
        path.chmod(path.stat().st_mode | stat.S_IXUSR)

        def calls():
            return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        return str(path), calls

    return make
