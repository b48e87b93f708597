"""Recommendations, knowing nothing of Discord: the engine (`engine`: TF-IDF similarity, quality,
exclusion, stand-in likes) and one set of filter rules (`filters`). It raises
`NothingToRecommend` and returns data; `bot.ui` words it."""
