using System.Globalization;
using System.Text.Json;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Backtest;

/// <summary>Reads a qlib-backtest case folder (tests/Fixtures/qlib-backtest, formats in its README) and compares.</summary>
internal static class BacktestCase
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "qlib-backtest");

    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "config.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static double Num(string s) => s is "" or "NaN" ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static DateTime Date(string s) => DateTime.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static (string[] Header, List<string[]> Rows) Csv(string dir, string file)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, file));
        return (lines[0].Split(','), lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList());
    }

    public static PredictionFrame Pred(string dir)
    {
        var (_, rows) = Csv(dir, "pred.csv");
        return new PredictionFrame(rows.Select(r => Date(r[0])).ToArray(), rows.Select(r => r[1]).ToArray(), rows.Select(r => Num(r[2])).ToArray());
    }

    public static (MarketData Market, PredictionFrame Pred, BacktestConfig Config) Load(string name)
    {
        var dir = Path.Combine(Root, name);
        return (MarketData.ReadCsv(Path.Combine(dir, "prices.csv"), Path.Combine(dir, "benchmark.csv")), Pred(dir),
            BacktestConfigJson.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))));
    }

    /// <summary>README tolerance: money columns 1e-9·max(1,|e|); rates 1e-12 + 1e-9·|e|; NaN equals NaN.</summary>
    public static bool Close(double a, double e, bool rate)
    {
        if (double.IsNaN(e)) return double.IsNaN(a);
        var tol = rate ? 1e-12 + 1e-9 * Math.Abs(e) : 1e-9 * Math.Max(1, Math.Abs(e));
        return Math.Abs(a - e) <= tol;
    }

    public static readonly HashSet<string> Rates = ["return", "turnover", "cost", "bench", "ffr", "pa", "pos", "weight", "risk", "value_rate"];
}

public sealed class BacktestFixtureTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in BacktestCase.Names()) data.Add(c);
        return data;
    }

    private static BacktestResult Run(string name)
    {
        var (market, pred, config) = BacktestCase.Load(name);
        return DailyBacktest.Run(market, pred, config);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_MatchesQlib(string name)
    {
        var result = Run(name);
        var (header, rows) = BacktestCase.Csv(Path.Combine(BacktestCase.Root, name), "report_normal_1day.csv");
        Assert.Equal(["datetime", .. BacktestReport.ColumnNames], header);
        Assert.Equal(rows.Count, result.Report.RowCount);
        var bad = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(BacktestCase.Date(rows[i][0]), result.Report.Datetime[i]);
            for (var c = 1; c < header.Length; c++)
            {
                var e = BacktestCase.Num(rows[i][c]);
                var a = result.Report.Column(header[c])[i];
                if (!BacktestCase.Close(a, e, BacktestCase.Rates.Contains(header[c]))) bad.Add($"{rows[i][0]} {header[c]}: {a:R} vs {e:R}");
            }
        }
        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(30)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Positions_MatchQlib(string name)
    {
        var result = Run(name);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BacktestCase.Root, name, "positions_normal_1day.json")));
        var bad = new List<string>();
        var pos = result.Positions;
        var days = doc.RootElement.EnumerateObject().ToList();
        Assert.Equal(result.Report.RowCount, days.Count);
        var row = 0;
        for (var d = 0; d < days.Count; d++)
        {
            var date = BacktestCase.Date(days[d].Name);
            Assert.Equal(date, result.Report.Datetime[d]);
            var day = days[d].Value;
            if (!BacktestCase.Close(result.Report.Cash[d], day.GetProperty("cash").GetDouble(), false)) bad.Add($"{days[d].Name} cash");
            if (!BacktestCase.Close(result.Report.Account[d], day.GetProperty("now_account_value").GetDouble(), false)) bad.Add($"{days[d].Name} account");
            var actual = new Dictionary<string, int>();
            for (; row < pos.RowCount && pos.Datetime[row] == date; row++) actual[pos.Instrument[row]] = row;
            var stocks = day.GetProperty("stocks").EnumerateObject().ToList();
            if (stocks.Count != actual.Count) bad.Add($"{days[d].Name}: {actual.Count} holdings, expected {stocks.Count}: {string.Join(" ", actual.Keys)}");
            foreach (var s in stocks)
            {
                if (!actual.TryGetValue(s.Name, out var i))
                {
                    bad.Add($"{days[d].Name}: {s.Name} not held");
                    continue;
                }
                if (!BacktestCase.Close(pos.Amount[i], s.Value.GetProperty("amount").GetDouble(), false)) bad.Add($"{days[d].Name} {s.Name} amount {pos.Amount[i]:R}");
                if (!BacktestCase.Close(pos.Price[i], s.Value.GetProperty("price").GetDouble(), false)) bad.Add($"{days[d].Name} {s.Name} price");
                if (!BacktestCase.Close(pos.Weight[i], s.Value.GetProperty("weight").GetDouble(), true)) bad.Add($"{days[d].Name} {s.Name} weight");
                if (pos.CountDay[i] != s.Value.GetProperty("count_day").GetInt32()) bad.Add($"{days[d].Name} {s.Name} count_day {pos.CountDay[i]}");
            }
        }
        Assert.Equal(pos.RowCount, row);
        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(30)));
    }

    /// <summary>
    /// Every order, matched by (date, direction, instrument). Buys keep Qlib's order (score rank); sells run in
    /// Qlib's set order (PYTHONHASHSEED-dependent), so only their per-day set is compared.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Orders_MatchQlib(string name)
    {
        var o = Run(name).Orders;
        var (header, rows) = BacktestCase.Csv(Path.Combine(BacktestCase.Root, name), "orders.csv");
        Assert.Equal(["datetime", "seq", "instrument", "direction", "amount", "deal_amount", "trade_price", "trade_value", "trade_cost", "trade_dir", "ffr", "pa"], header);
        Assert.Equal(rows.Count, o.RowCount);
        var bad = new List<string>();
        var index = new Dictionary<(DateTime, string, int), int>();
        for (var i = 0; i < o.RowCount; i++) index[(o.Datetime[i], o.Instrument[i], o.TradeDir[i])] = i;
        foreach (var r in rows)
        {
            var dir = int.Parse(r[9], CultureInfo.InvariantCulture);
            Assert.Equal(r[3] == "buy" ? 1 : 0, dir);
            if (!index.TryGetValue((BacktestCase.Date(r[0]), r[2], dir), out var i))
            {
                bad.Add($"{r[0]} {r[3]} {r[2]} missing");
                continue;
            }
            if (dir == 1 && o.Seq[i] != int.Parse(r[1], CultureInfo.InvariantCulture)) bad.Add($"{r[0]} buy {r[2]} seq {o.Seq[i]} vs {r[1]}");
            (string Name, double A, bool Rate)[] cols =
            [
                ("amount", o.Amount[i], false), ("deal_amount", o.DealAmount[i], false), ("trade_price", o.TradePrice[i], false),
                ("trade_value", o.TradeValue[i], false), ("trade_cost", o.TradeCost[i], false), ("ffr", o.Ffr[i], true), ("pa", o.Pa[i], true),
            ];
            foreach (var (col, a, rate) in cols)
            {
                var e = BacktestCase.Num(r[Array.IndexOf(header, col)]);
                if (!BacktestCase.Close(a, e, rate)) bad.Add($"{r[0]} {r[3]} {r[2]} {col}: {a:R} vs {e:R}");
            }
        }
        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(30)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Indicators_MatchQlib(string name)
    {
        var ind = Run(name).Indicators;
        var (header, rows) = BacktestCase.Csv(Path.Combine(BacktestCase.Root, name), "indicators_normal_1day.csv");
        Assert.Equal(["datetime", .. IndicatorFrame.ColumnNames], header);
        Assert.Equal(rows.Count, ind.RowCount);
        var bad = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(BacktestCase.Date(rows[i][0]), ind.Datetime[i]);
            double[] actual = [ind.Ffr[i], ind.Pa[i], ind.Pos[i], ind.DealAmount[i], ind.Value[i], ind.Count[i]];
            for (var c = 0; c < actual.Length; c++)
                if (!BacktestCase.Close(actual[c], BacktestCase.Num(rows[i][c + 1]), c < 3)) bad.Add($"{rows[i][0]} {header[c + 1]}: {actual[c]:R} vs {rows[i][c + 1]}");
        }
        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(30)));
    }
}

public sealed class BacktestAnalysisFixtureTests
{
    [Theory]
    [MemberData(nameof(BacktestFixtureTests.Cases), MemberType = typeof(BacktestFixtureTests))]
    public void PortAnalysis_IndicatorAnalysis_Metrics_MatchQlib(string name)
    {
        var (market, pred, config) = BacktestCase.Load(name);
        var result = DailyBacktest.Run(market, pred, config);
        var dir = Path.Combine(BacktestCase.Root, name);
        var r = result.Report;
        var table = PortfolioAnalysis.ExcessReturnAnalysis(r.Return, r.Bench, r.Cost);
        var bench = RiskAnalysis.Compute(r.Bench, freq: "day");
        var bad = new List<string>();
        var (_, rows) = BacktestCase.Csv(dir, "port_analysis_1day.csv");
        foreach (var row in rows)
        {
            var a = row[0] == "bench" ? bench[Array.IndexOf(RiskAnalysisResult.MetricNames, row[1])] : table.Get(row[0], row[1]);
            if (!BacktestCase.Close(a, BacktestCase.Num(row[2]), true)) bad.Add($"{row[0]}.{row[1]}: {a:R} vs {row[2]}");
        }
        var ia = IndicatorAnalysis.Compute(result.Indicators);
        var (_, iaRows) = BacktestCase.Csv(dir, "indicator_analysis_1day.csv");
        foreach (var row in iaRows)
        {
            var a = ia[Array.IndexOf(IndicatorAnalysisResult.Names, row[0])];
            if (!BacktestCase.Close(a, BacktestCase.Num(row[1]), true)) bad.Add($"{row[0]}: {a:R} vs {row[1]}");
        }
        var metrics = PortfolioAnalysis.FlattenMetrics("1day", table).ToDictionary(kv => kv.Key, kv => kv.Value);
        for (var i = 0; i < 3; i++) metrics["1day." + IndicatorAnalysisResult.Names[i]] = ia[i];
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        var expected = doc.RootElement.EnumerateObject().ToList();
        Assert.Equal(expected.Select(p => p.Name).Order(StringComparer.Ordinal), metrics.Keys.Order(StringComparer.Ordinal));
        foreach (var p in expected)
        {
            var e = p.Value.ValueKind == JsonValueKind.Null ? double.NaN : p.Value.GetDouble();
            if (!BacktestCase.Close(metrics[p.Name], e, true)) bad.Add($"{p.Name}: {metrics[p.Name]:R} vs {e:R}");
        }
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }
}
