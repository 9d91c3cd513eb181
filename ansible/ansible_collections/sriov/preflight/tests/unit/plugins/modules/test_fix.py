# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.sriov.preflight.plugins.modules import fix

DIFF = '--- a/etc/default/grub\n+++ b/etc/default/grub\n@@ -1 +1 @@\n-GRUB_CMDLINE_LINUX=""\n+GRUB_CMDLINE_LINUX="intel_iommu=on"\n'
PLAN = [
    {'id': 'vfio-modules', 'status': 'not-needed', 'reason': 'vfio loaded'},
    {'id': 'iommu-cmdline', 'status': 'planned', 'reboot_required': True, 'actions': [],
     'files': [{'path': 'etc/default/grub', 'change': 'modify', 'diff': DIFF}]},
]


def test_plan_by_default_changes_nothing(run_module, fake_binary):
    binary, calls = fake_binary(json.dumps(PLAN))
    result, failed = run_module(fix.main, {'binary': binary})
    assert not failed and result['changed'] is False and result['applied'] is False
    assert result['reboot_required'] is True
    assert [c for c in calls() if '--apply' in c] == []


def test_apply_applies_and_reports_changed(run_module, fake_binary):
    binary, calls = fake_binary(json.dumps(PLAN), apply_stdout=json.dumps(PLAN) + '\nfix iommu-cmdline: applied (reboot required)\n')
    result, failed = run_module(fix.main, {'binary': binary, 'apply': True, 'fixes': ['iommu-cmdline']})
    assert not failed and result['changed'] is True and result['applied'] is True and result['reboot_required']
    assert 'applied' in result['output']
    assert calls()[-1] == ['fix', '--format', 'json', 'iommu-cmdline', '--apply']


def test_check_mode_never_applies(run_module, fake_binary):
    binary, calls = fake_binary(json.dumps(PLAN))
    result, failed = run_module(fix.main, {'binary': binary, 'apply': True}, check_mode=True)
    assert not failed and result['applied'] is False and result['changed'] is True
    assert all('--apply' not in c for c in calls())


def test_diff_mode_shows_the_plan_diffs(run_module, fake_binary):
    binary, _ = fake_binary(json.dumps(PLAN))
    result, _ = run_module(fix.main, {'binary': binary}, diff=True)
    assert result['diff'] == [{'prepared': DIFF}]


def test_nothing_to_change(run_module, fake_binary):
    plan = [{'id': 'iommu-cmdline', 'status': 'planned', 'reboot_required': True, 'actions': [], 'files': []}]
    binary, calls = fake_binary(json.dumps(plan))
    result, failed = run_module(fix.main, {'binary': binary, 'apply': True})
    assert not failed and result['changed'] is False and result['reboot_required'] is True
    assert len(calls()) == 1


def test_plan_failure_fails(run_module, fake_binary):
    binary, _ = fake_binary('', rc=1, stderr='sriov-preflight fix: refused')
    result, failed = run_module(fix.main, {'binary': binary})
    assert failed and 'refused' in result['msg']
