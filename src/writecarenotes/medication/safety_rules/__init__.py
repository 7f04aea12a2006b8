"""The medication safety rules, one module per rule family, as pure functions of plain values.

``writecarenotes.medication.safety`` (the facade other sub-domains import) reads the database once and
hands these functions what they need; the rules themselves never query, so each is tested at its exact
boundaries without a database (decision 0010: rules as data, with their published sources).

- ``findings``: the ``Finding`` every rule returns, and the plain-words time formatting;
- ``order_state``: the order not active, the dose outside the order's range, the slot already recorded,
  the window not open yet (NICE SC1 1.14; never pre-recorded);
- ``prn``: a "when required" dose too soon, or over the most in any rolling 24 hours;
- ``limits``: the most of one ingredient in any 24 hours across every product (paracetamol, BNF);
- ``classes``: the curated drug-class and synonym map the allergy and duplicate checks share;
- ``allergy``: a recorded allergy or sensitivity matched by ingredient, class or synonym (NICE CG183);
- ``duplicates``: the same ingredient, or a "do not duplicate" class, on two active orders;
- ``interactions``: the pluggable interaction checker and the small hand-curated built-in rule set.
"""
