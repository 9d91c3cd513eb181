# -*- coding: utf-8 -*-
# Copyright: sriov-preflight maintainers
# License: see galaxy.yml
"""The options of the modules that run the sriov-preflight binary (check, fix): which binary, which root."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # Matches module_utils.preflight.binary_argument_spec().
    DOCUMENTATION = r'''
options:
  binary:
    description: Path of the sriov-preflight binary.
    type: path
    default: /usr/local/bin/sriov-preflight
  root:
    description: Host root to work on (a captured host); C(/) is the running host.
    type: path
    default: /
'''
