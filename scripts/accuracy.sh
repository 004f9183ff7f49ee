#!/usr/bin/env bash
# Writes docs/ACCURACY.md: the rolling-origin backtest of the generated
# sample history and, where ../shared/data holds them, of Olist's funnel and
# Maven's pipeline, with the exact commands and what they print.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/simulate ./cmd/simulate
sim=bin/simulate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
D=../shared/data
run() { # title, command...
  echo
  echo '```'
  echo "$ ${*}"
  "$@" 2>/dev/null
  echo '```'
}
{
cat docs/accuracy-head.md
echo
echo "## Generated sample history (truth known)"
echo
echo 'Three years of the sample company from `simulate generate` (30% of losses never recorded), backtested at 20 origins four weeks apart:'
"$sim" generate --weeks 156 --seed 51 -o "$tmp/history.csv" >/dev/null
echo
echo '```'
echo '$ bin/simulate generate --weeks 156 --seed 51 -o history.csv'
echo '$ bin/simulate backtest --history history.csv --stale-after 26'
"$sim" backtest --history "$tmp/history.csv" --stale-after 26 2>/dev/null
echo '```'
echo
echo "## Generated history with a yearly season"
echo
echo 'The same company with a yearly season of leads added to its truth (busiest around the new year, quietest in the summer, ×1.8 from trough to peak), from the same seed:'
"$sim" generate --weeks 4 --write-truth "$tmp/truth.yaml" -o "$tmp/unused.csv" >/dev/null
printf 'arrival_season:\n  cos: [0.25, 0.05]\n  sin: [0.15, -0.05]\n' >> "$tmp/truth.yaml"
"$sim" generate --truth "$tmp/truth.yaml" --weeks 156 --seed 51 -o "$tmp/seasonal.csv" >/dev/null
echo
echo '```'
echo '$ bin/simulate generate --weeks 4 --write-truth truth.yaml -o /dev/null'
echo "\$ printf 'arrival_season:\\n  cos: [0.25, 0.05]\\n  sin: [0.15, -0.05]\\n' >> truth.yaml"
echo '$ bin/simulate generate --truth truth.yaml --weeks 156 --seed 51 -o seasonal.csv'
echo '$ bin/simulate backtest --history seasonal.csv --stale-after 26'
"$sim" backtest --history "$tmp/seasonal.csv" --stale-after 26 2>/dev/null
echo '```'
if [ -d "$D" ]; then
  echo
  echo "## Olist: MQLs and their wins"
  echo
  echo '```'
  echo "\$ bin/simulate backtest --history $D/olist-marketing-funnel/olist_marketing_qualified_leads_dataset.csv --history $D/olist-marketing-funnel/olist_closed_deals_dataset.csv --map lead_id=mql_id,created_at=first_contact_date,channel=origin,won_at=won_date --stages mql --stale-after 26 --deal-size 1000 --every 2"
  "$sim" backtest --history $D/olist-marketing-funnel/olist_marketing_qualified_leads_dataset.csv --history $D/olist-marketing-funnel/olist_closed_deals_dataset.csv \
    --map lead_id=mql_id,created_at=first_contact_date,channel=origin,won_at=won_date --stages mql --stale-after 26 --deal-size 1000 --every 2 2>/dev/null
  echo '```'
  echo
  echo "## Maven: a deal pipeline"
  echo
  echo '```'
  echo "\$ bin/simulate backtest --history $D/maven-crm-sales-opportunities/sales_pipeline.csv --map lead_id=opportunity_id,created_at=engage_date,outcome=deal_stage,closed_at=close_date,amount=close_value,rep=sales_agent --stages engaging --max-rejected 0.1 --every 2"
  "$sim" backtest --history $D/maven-crm-sales-opportunities/sales_pipeline.csv \
    --map lead_id=opportunity_id,created_at=engage_date,outcome=deal_stage,closed_at=close_date,amount=close_value,rep=sales_agent --stages engaging --max-rejected 0.1 --every 2 2>/dev/null
  echo '```'
fi
echo
echo "## Ablation: what each part of the estimation does"
echo
echo 'The same backtests with every part of the estimation that follows real exports (docs/MODEL.md), with each turned off alone (`--without PART`), and with all turned off (the estimation before them): the model'"'"'s CRPS and, in brackets, the coverage of its 80% intervals.'
echo
echo '```'
echo '$ bin/simulate backtest --history history.csv --stale-after 26 --ablation'
"$sim" backtest --history "$tmp/history.csv" --stale-after 26 --ablation 2>/dev/null
echo
echo '$ bin/simulate backtest --history seasonal.csv --stale-after 26 --ablation'
"$sim" backtest --history "$tmp/seasonal.csv" --stale-after 26 --ablation 2>/dev/null
if [ -d "$D" ]; then
  echo
  echo "\$ bin/simulate backtest ...olist... --ablation"
  "$sim" backtest --history $D/olist-marketing-funnel/olist_marketing_qualified_leads_dataset.csv --history $D/olist-marketing-funnel/olist_closed_deals_dataset.csv \
    --map lead_id=mql_id,created_at=first_contact_date,channel=origin,won_at=won_date --stages mql --stale-after 26 --deal-size 1000 --every 2 --ablation 2>/dev/null
  echo
  echo "\$ bin/simulate backtest ...maven... --ablation"
  "$sim" backtest --history $D/maven-crm-sales-opportunities/sales_pipeline.csv \
    --map lead_id=opportunity_id,created_at=engage_date,outcome=deal_stage,closed_at=close_date,amount=close_value,rep=sales_agent --stages engaging --max-rejected 0.1 --every 2 --ablation 2>/dev/null
fi
echo '```'
echo
cat docs/accuracy-tail.md
} > docs/ACCURACY.md
echo "docs/ACCURACY.md written"
