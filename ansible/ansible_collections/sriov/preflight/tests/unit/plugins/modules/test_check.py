# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.sriov.preflight.plugins.modules import check
from conftest import report


def test_ready_report_is_the_result(run_module, fake_binary):
    binary, calls = fake_binary(json.dumps(report()), rc=0)
    result, failed = run_module(check.main, {'binary': binary, 'root': '/srv/host-a'})
    assert not failed
    assert result['changed'] is False
    assert result['ready'] is True and result['exit_code'] == 0
    assert result['report']['schema_version'] == 2
    assert calls() == [['check', '--format', 'json', '--no-color', '--root', '/srv/host-a']]


def test_warnings_become_ansible_warnings_ignored_ones_do_not(run_module, fake_binary):
    binary, _ = fake_binary(json.dumps(report()))
    result, _ = run_module(check.main, {'binary': binary})
    assert result['_warnings'] == ['sriov.vfs[0000:3b:00.0]: no VFs enabled']


def test_not_ready_fails_only_by_policy(run_module, fake_binary):
    r = report({'fail': 2, 'ready': False, 'exit_code': 1}, ready=False, exit_code=1)
    binary, _ = fake_binary(json.dumps(r), rc=1)
    result, failed = run_module(check.main, {'binary': binary})
    assert failed and 'not ready' in result['msg'] and result['report']['summary']['fail'] == 2
    result, failed = run_module(check.main, {'binary': binary, 'fail_on': 'never'})
    assert not failed and result['ready'] is False and result['exit_code'] == 1


def test_fail_on_warn(run_module, fake_binary):
    binary, _ = fake_binary(json.dumps(report()))
    result, failed = run_module(check.main, {'binary': binary, 'fail_on': 'warn'})
    assert failed and 'warning' in result['msg']


def test_undecided_is_not_ready(run_module, fake_binary):
    r = report({'error': 1, 'ready': False, 'exit_code': 2}, ready=False, exit_code=2)
    binary, _ = fake_binary(json.dumps(r), rc=2)
    result, failed = run_module(check.main, {'binary': binary})
    assert failed and 'undecided' in result['msg']


def test_check_mode_runs_the_real_check(run_module, fake_binary):
    binary, calls = fake_binary(json.dumps(report()))
    result, failed = run_module(check.main, {'binary': binary}, check_mode=True)
    assert not failed and result['report'] and len(calls()) == 1 and result['changed'] is False


def test_options_reach_the_binary(run_module, fake_binary):
    binary, calls = fake_binary(json.dumps(report()))
    run_module(check.main, {'binary': binary, 'only': ['kernel', 'sriov.vfs'], 'ignore': ['nic.link@eno1'],
                            'strict': True, 'bundle': '/tmp/h.tar.gz', 'root': '/ignored', 'waivers': '/etc/w.toml'})
    assert calls() == [['check', '--format', 'json', '--no-color', '--bundle', '/tmp/h.tar.gz',
                        '--only', 'kernel,sriov.vfs', '--ignore', 'nic.link@eno1', '--strict', '--waivers', '/etc/w.toml']]


def test_a_waived_warning_is_no_ansible_warning(run_module, fake_binary):
    r = report()
    for res in r['results']:
        if res.get('status') == 'warn':
            res['waiver'] = {'waiver': res['id'], 'justification': 'lab NIC', 'expires': '2099-01-01', 'who': 'ops'}
    binary, _ = fake_binary(json.dumps(r))
    result, failed = run_module(check.main, {'binary': binary, 'waivers': '/etc/w.toml'})
    assert not failed and not result.get('_warnings')


def test_garbage_on_stdout_fails_with_the_raw_output(run_module, fake_binary):
    binary, _ = fake_binary(json.dumps(report()) + '\n{}', rc=0)
    result, failed = run_module(check.main, {'binary': binary})
    assert failed and 'not one JSON document' in result['msg'] and result['stdout'].endswith('{}')


def test_other_schema_version_is_refused(run_module, fake_binary):
    r = report()
    r['schema_version'] = 1
    binary, _ = fake_binary(json.dumps(r))
    result, failed = run_module(check.main, {'binary': binary})
    assert failed and 'schema version 1' in result['msg']


def test_usage_error_and_missing_binary(run_module, fake_binary, tmp_path):
    binary, _ = fake_binary('', rc=64, stderr='Error: bad option')
    result, failed = run_module(check.main, {'binary': binary})
    assert failed and 'exited 64' in result['msg'] and 'bad option' in result['msg']
    result, failed = run_module(check.main, {'binary': str(tmp_path / 'nope')})
    assert failed
