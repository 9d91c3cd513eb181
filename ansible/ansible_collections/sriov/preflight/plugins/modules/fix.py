#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sriov-preflight maintainers
# License: see galaxy.yml

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: fix
short_description: Plan (and, when asked, apply) the changes failed sriov-preflight checks need
version_added: "0.2.0"
description:
  - Runs C(sriov-preflight fix --format json) and returns its plan. Nothing changes unless O(apply=true).
  - With O(apply=true) (and not in check mode) the planned changes are made; every write is atomic and journalled
    on the host (C(sriov-preflight fix --undo) reverts it).
  - With C(--diff) the plan's unified diffs are shown.
  - RV(reboot_required) tells a following M(ansible.builtin.reboot) whether the changes need a reboot.
author:
  - sriov-preflight maintainers (@sriov-preflight)
extends_documentation_fragment:
  - sriov.preflight.binary
options:
  fixes:
    description: Fix ids (default every fix a failing check offers).
    type: list
    elements: str
    default: []
  apply:
    description: Make the planned changes. Without it the module only plans.
    type: bool
    default: false
  accept_unsafe_interrupts:
    description: Accept giving up interrupt isolation (needed to apply the unsafe-interrupts fix).
    type: bool
    default: false
  vfs:
    description: C(PF=N) settings of VF counts (PF by interface or PCI address).
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds the binary may run (coreutils C(timeout)); 0 for no limit.
    type: int
    default: 300
attributes:
  check_mode:
    description: In check mode the plan is returned and nothing is applied.
    support: full
  diff_mode:
    description: The plan's unified diffs are returned as the task diff.
    support: full
'''

EXAMPLES = r'''
- name: Plan the fixes (changes nothing)
  sriov.preflight.fix:
  register: plan

- name: Apply the IOMMU kernel arguments
  sriov.preflight.fix:
    fixes: [iommu-cmdline]
    apply: true
  register: fixed

- name: Reboot when the fix needs it
  ansible.builtin.reboot:
  when: fixed.reboot_required
'''

RETURN = r'''
plan:
  description: The fix plan (one entry per fix, with status, files and their diffs, actions, reboot_required).
  returned: success
  type: list
  elements: dict
applied:
  description: Whether changes were made.
  returned: success
  type: bool
reboot_required:
  description: Whether a planned or applied fix needs a reboot to take effect.
  returned: success
  type: bool
output:
  description: What the binary printed after applying (files written, actions run, the journal).
  returned: when applied
  type: str
'''

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.sriov.preflight.plugins.module_utils.preflight import (
    PreflightError, binary_argument_spec, check_args, run)


def pending(plan):
    """The fixes that would change something."""
    return [f for f in plan if f.get('status') == 'planned' and (f.get('files') or f.get('actions'))]


def diffs(plan):
    return [dict(prepared=f['diff']) for fix in pending(plan) for f in fix.get('files') or [] if f.get('diff')]


def parse_plan(text):
    """The JSON plan at the start of stdout; what follows it (after --apply) is the binary's text."""
    try:
        plan, end = json.JSONDecoder().raw_decode(text.lstrip())
    except ValueError as e:
        raise PreflightError('the fix output does not start with a JSON plan: %s' % e, stdout=text)
    if not isinstance(plan, list):
        raise PreflightError('the fix plan is not a list', stdout=text)
    return plan, text.lstrip()[end:].strip()


def main():
    module = AnsibleModule(
        argument_spec=binary_argument_spec(
            fixes=dict(type='list', elements='str', default=[]),
            apply=dict(type='bool', default=False),
            accept_unsafe_interrupts=dict(type='bool', default=False),
            vfs=dict(type='list', elements='str', default=[]),
            timeout=dict(type='int', default=300),
        ),
        supports_check_mode=True,
    )
    p = module.params
    args = ['fix', '--format', 'json'] + check_args(p) + list(p['fixes'])
    for v in p['vfs']:
        args += ['--vfs', v]
    if p['accept_unsafe_interrupts']:
        args.append('--accept-unsafe-interrupts')
    try:
        rc, out, err = run(module, args, p['timeout'])
        if rc != 0:
            raise PreflightError('fix plan failed (exit %s): %s' % (rc, err.strip()), rc=rc, stdout=out, stderr=err)
        plan, _ = parse_plan(out)
        todo = pending(plan)
        result = dict(changed=False, applied=False, plan=plan,
                      reboot_required=any(f.get('reboot_required') for f in plan if f.get('status') == 'planned'))
        if module._diff:
            result['diff'] = diffs(plan)
        if not todo:
            result['msg'] = 'nothing to change'
            module.exit_json(**result)
        if not p['apply'] or module.check_mode:
            result['changed'] = bool(todo) if module.check_mode and p['apply'] else False
            result['msg'] = '%d fix(es) planned%s' % (len(todo), '' if p['apply'] else ' (apply: true to make them)')
            module.exit_json(**result)
        rc, out, err = run(module, args + ['--apply'], p['timeout'])
        if rc != 0:
            raise PreflightError('fix --apply failed (exit %s): %s' % (rc, err.strip()), rc=rc, stdout=out, stderr=err)
        _, text = parse_plan(out)
        result.update(changed=True, applied=True, output=text, msg='%d fix(es) applied' % len(todo))
        module.exit_json(**result)
    except PreflightError as e:
        module.fail_json(msg=e.msg, changed=False, **e.details)


if __name__ == '__main__':
    main()
