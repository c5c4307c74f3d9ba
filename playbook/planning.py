"""The reassignment plan: one row per action, batched, deterministic.

Plan table columns (a pandas DataFrame; tuples hold sorted values):

=======================  ======  ===============================================================
action_id                str     stable id: ``U00001`` user actions, ``G00001`` group actions,
                                 ``F00001`` fix-first, ``S00001`` skips (order = plan order)
kind                     str     ``user-swap`` | ``group-swap`` | ``set-usage-location`` |
                                 ``reclaim`` | ``fix-usage-location`` (no default: admin must
                                 set it) | ``skip``
batch                    int     1-based batch number (at most ``batch_size`` <= 20 user rows per
                                 batch); 0 for rows that are not executed (skip, fix-first lists)
upn                      str     lower-cased; "" for group actions
user_id                  str     object id where known
group_id                 str     group object id for ``group-swap``; "" otherwise
display_name             str
department               str
usage_location           str     the user's usage location before the plan ("" = unset)
new_usage_location       str     for ``set-usage-location``: the value to set
add_sku_id               str     target skuId added in the same call ("" for reclaim/skip)
add_sku_part_number      str
remove_sku_id            str     E4 skuId removed in the same call ("" for skip/fix-first)
remove_sku_part_number   str
disabled_plans_before    object  tuple of E4 service-plan names disabled for the user/group
disabled_plans_after     object  tuple of target service-plan names to disable on the target
disabled_plan_ids_after  object  tuple of the target's service-plan ids (same order as names)
unmapped_plans           object  tuple of disabled E4 plans with no match in the target: a
                                 decision for the admin, never silently dropped or enabled
before_skus              object  tuple of part numbers the user/group held before
after_skus               object  tuple of part numbers the user/group should hold after
reason                   str     why (for skip / fix-first / reclaim rows)
=======================  ======  ===============================================================

``<out>/plan/plan.json``::

    {"tenant": str, "created": "<ISO date of the input export's data, not wall clock>",
     "source": {"sku_id", "sku_part_number", "display_name"},
     "target": {"sku_id", "sku_part_number", "display_name"},
     "users_file": {"name": str, "sha256": str},       # the export the plan was made from
     "batch_size": int,
     "summary": {...counts by kind, batches, seats_needed, seats_available, shortfall...},
     "decisions": [{"upn", "plans": [...], "why"}],
     "actions": [ {<plan table columns, tuples as lists>} ... ]}
"""
