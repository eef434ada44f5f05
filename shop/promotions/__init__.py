"""Promotional campaigns: pages, which products they cover, the best discount of each cart line,
vouchers and their limits, counters and the results report.

The rules, in one place:
- A campaign covers its hand-picked products, plus the live products matching *every* rule it sets
  (groups, minimum stars, producers' provinces; a province's campaign is limited to its province).
  A campaign without rules covers only its hand-picked products (`coverage`).
- A campaign without a voucher code discounts automatically inside its window; a campaign with a
  code discounts only when that code is entered in the cart (one code per cart) (`offers`).
- Discounts never stack: each line gets the single best discount among the running automatic
  campaigns and the entered voucher's campaign (ties go to the automatic one, which spends no use).
- Money is integer đồng: a percentage is rounded down to whole đồng, a fixed amount is capped at
  the unit price.
- Voucher uses are the orders that used it and were not cancelled; a buyer is the signed-in account,
  or the e-mail or phone of the order. Limits are checked in the cart and again, under a row lock,
  when the order is placed (`shop.orders`).
"""
