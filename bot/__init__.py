"""Ramen, the drama bot. Packages by area, one rule per layer:

    catalog/, ratings/, recommend/, store/   the core: no discord (tests/test_layers.py checks it)
    ui/                                      everything that speaks Discord
    console/                                 the offline console, a tool only cli imports
    cli.py, config.py, client.py             verbs and composition root; settings; the Bot subclass

Nothing in this package imports from `cogs/`.
"""
