namespace Mcu.Samples.Console.Commands;
internal static class ClassifierCommands
{
    public static Task<int> TrainAsync(string historyPath, string modelPath, TextWriter stdout, TextWriter stderr, CancellationToken ct) => Task.FromResult(0);
    public static Task<int> EvaluateAsync(string evaluationPath, string? modelPath, TextWriter stdout, TextWriter stderr, CancellationToken ct) => Task.FromResult(0);
}
