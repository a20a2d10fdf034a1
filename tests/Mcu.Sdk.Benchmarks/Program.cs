using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mcu.Sdk.Benchmarks;

// Usage: dotnet run -c Release --project tests/Mcu.Sdk.Benchmarks -- [--quick] [BenchmarkDotNet arguments]
//   --quick  an in-process job with few iterations: the whole suite in about two minutes on two cores.
// Without --filter every benchmark runs. After the BenchmarkDotNet tables, the figures per item are printed.
var quick = args.Contains("--quick", StringComparer.Ordinal);
var arguments = args.Where(a => !string.Equals(a, "--quick", StringComparison.Ordinal)).ToList();
if (!arguments.Contains("--filter", StringComparer.Ordinal))
{
    arguments.AddRange(["--filter", "*"]);
}

var config = ManualConfig.Create(DefaultConfig.Instance).AddDiagnoser(MemoryDiagnoser.Default);
if (quick)
{
    config = config.AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(10)
        .WithId("quick"));
}

var summaries = BenchmarkSwitcher.FromTypes([typeof(TextBenchmarks), typeof(ClassifierBenchmarks)]).Run([.. arguments], config).ToList();
PerItem.Print(summaries, Console.Out);

/// <summary>Turns the per-operation results into per-item figures: words/s, appeals/s, bytes per appeal, ratios.</summary>
internal static class PerItem
{
    public static void Print(IReadOnlyList<Summary> summaries, TextWriter output)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
        if (reports.Count == 0)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var baseline = reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ClassifierBenchmarks.ParseJsonLines));
        var baselineNs = baseline is null ? double.NaN : baseline.ResultStatistics!.Mean / BenchmarkData.EvaluationLines.Length;
        output.WriteLine();
        output.WriteLine(string.Create(c, $"Per item ({BenchmarkData.Words.Length:N0} words from {BenchmarkData.WordsSource}; {BenchmarkData.EvaluationTexts.Length:N0} appeals of appeals-dev and appeals-test):"));
        output.WriteLine(string.Create(c, $"  {"benchmark",-20} {"items/op",9} {"ns/item",10} {"items/s",12} {"bytes/item",11} {"x JSON parse",13}"));
        foreach (var report in reports)
        {
            var name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            var items = name == nameof(TextBenchmarks.StemWords) ? BenchmarkData.Words.Length : BenchmarkData.EvaluationTexts.Length;
            var nsPerItem = report.ResultStatistics!.Mean / items;
            var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            var bytesPerItem = bytes is null ? "n/a" : ((double)bytes.Value / items).ToString("0.0", c);
            var perAppeal = name is nameof(TextBenchmarks.StemWords) ? "-" : (nsPerItem / baselineNs).ToString("0.00", c);
            output.WriteLine(string.Create(c, $"  {name,-20} {items,9:N0} {nsPerItem,10:0.0} {1e9 / nsPerItem,12:N0} {bytesPerItem,11} {perAppeal,13}"));
        }
    }
}
