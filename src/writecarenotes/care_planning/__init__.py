"""Care planning (service 2) with the specialist pathways (services 29-32): plans by need, goals,
interventions that become carers' tasks, reviews, the risk register, Mental Capacity Act records."""
