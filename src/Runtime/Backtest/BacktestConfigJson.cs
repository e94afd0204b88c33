using System.Globalization;
using System.Text.Json;

namespace Qlib.Tracked.Backtest;

/// <summary>Reads a backtest description in the format of the qlib-backtest fixtures' <c>config.json</c>. Stateless; thread-safe.</summary>
public static class BacktestConfigJson
{
    /// <summary>Qlib's region defaults: (trade_unit, limit_threshold).</summary>
    public static (double? TradeUnit, double? LimitThreshold) RegionDefaults(string region) => region.ToLowerInvariant() switch
    {
        "cn" => (100, 0.095),
        "us" => (1, null),
        "tw" => (1000, 0.1),
        _ => throw TrackingException.InvalidParameter($"Unknown region '{region}'; use cn, us or tw."),
    };

    /// <summary>
    /// The config of <paramref name="json"/>: <c>strategy.kwargs</c> over <c>strategy.defaults_in_effect</c>,
    /// <c>backtest_as_given</c> (start/end, account, benchmark, exchange_kwargs), <c>trade_unit</c> and
    /// <c>qlib_init</c>. A null or missing <c>limit_threshold</c> in exchange_kwargs is replaced, as Qlib's
    /// <c>get_exchange</c> does, by <c>qlib_init.limit_threshold</c> when that key is present (null: no limits),
    /// else by the region's default.
    /// </summary>
    public static BacktestConfig Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var region = root.TryGetProperty("qlib_init", out var init) && init.TryGetProperty("region", out var r) && r.ValueKind == JsonValueKind.String
            ? r.GetString()! : "cn";
        var (regionUnit, regionLimit) = RegionDefaults(region);

        var strategy = new TopkDropoutOptions();
        if (root.TryGetProperty("strategy", out var st))
        {
            if (st.TryGetProperty("defaults_in_effect", out var defaults)) strategy = ApplyStrategy(strategy, defaults);
            if (st.TryGetProperty("kwargs", out var kwargs)) strategy = ApplyStrategy(strategy, kwargs);
        }

        var bt = root.TryGetProperty("backtest_as_given", out var b) ? b : root.TryGetProperty("backtest", out var b2) ? b2 : default;
        var config = new BacktestConfig { Strategy = strategy };
        double? limit = regionLimit;
        if (init.ValueKind == JsonValueKind.Object && init.TryGetProperty("limit_threshold", out var il)) limit = NullableNumber(il);
        double? unit = root.TryGetProperty("trade_unit", out var tu) ? NullableNumber(tu) : regionUnit;
        var exchange = new ExchangeOptions { LimitThreshold = limit, TradeUnit = unit };
        if (bt.ValueKind == JsonValueKind.Object)
        {
            if (bt.TryGetProperty("start_time", out var s) && s.ValueKind == JsonValueKind.String) config = config with { StartTime = Date(s) };
            if (bt.TryGetProperty("end_time", out var e) && e.ValueKind == JsonValueKind.String) config = config with { EndTime = Date(e) };
            if (bt.TryGetProperty("account", out var a)) config = config with { Account = a.GetDouble() };
            if (bt.TryGetProperty("benchmark", out var bm)) config = config with { Benchmark = bm.ValueKind == JsonValueKind.String ? bm.GetString() : null };
            if (bt.TryGetProperty("exchange_kwargs", out var ex))
            {
                foreach (var p in ex.EnumerateObject())
                {
                    exchange = p.Name switch
                    {
                        "limit_threshold" => exchange with { LimitThreshold = NullableNumber(p.Value) ?? limit },
                        "deal_price" => exchange with { DealPrice = p.Value.GetString() ?? "close" },
                        "open_cost" => exchange with { OpenCost = p.Value.GetDouble() },
                        "close_cost" => exchange with { CloseCost = p.Value.GetDouble() },
                        "min_cost" => exchange with { MinCost = p.Value.GetDouble() },
                        "impact_cost" => exchange with { ImpactCost = p.Value.GetDouble() },
                        "trade_unit" => exchange with { TradeUnit = NullableNumber(p.Value) ?? unit },
                        _ => exchange,
                    };
                }
            }
        }
        return config with { Exchange = exchange };
    }

    private static TopkDropoutOptions ApplyStrategy(TopkDropoutOptions o, JsonElement kwargs)
    {
        foreach (var p in kwargs.EnumerateObject())
        {
            o = p.Name switch
            {
                "topk" => o with { Topk = p.Value.GetInt32() },
                "n_drop" => o with { NDrop = p.Value.GetInt32() },
                "method_sell" => o with { MethodSell = p.Value.GetString()! },
                "method_buy" => o with { MethodBuy = p.Value.GetString()! },
                "hold_thresh" => o with { HoldThresh = p.Value.GetInt32() },
                "only_tradable" => o with { OnlyTradable = p.Value.GetBoolean() },
                "forbid_all_trade_at_limit" => o with { ForbidAllTradeAtLimit = p.Value.GetBoolean() },
                "risk_degree" => o with { RiskDegree = p.Value.GetDouble() },
                _ => o,
            };
        }
        return o;
    }

    private static double? NullableNumber(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static DateTime Date(JsonElement e) =>
        DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.None).Date;
}
