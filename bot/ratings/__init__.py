"""Server ratings, knowing nothing of Discord: the rules for scores and keycaps (`scores`) and the
reconciliation diff after downtime (`reconcile`). Their SQL lives in `bot.store`."""
