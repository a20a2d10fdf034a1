namespace Mcu.Samples.Console.Simulation;

/// <summary>What to simulate.</summary>
/// <param name="Days">How many days of arrivals.</param>
/// <param name="PerDay">How many appeals arrive a day (on average; the day's profile spreads them over the hours).</param>
/// <param name="Seed">The seed every random choice derives from: the same seed gives the same report, byte for byte.</param>
internal sealed record SimulationOptions(int Days, int PerDay, int Seed)
{
    /// <summary>Gets the store: <see langword="null"/> or <c>memory</c>, or <c>sqlite:FILE</c> (see <c>StoreOption</c>).</summary>
    public string? Store { get; init; }

    /// <summary>The default start: Monday 16 November 2026, midnight in Krasnodar.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 16, 0, 0, 0, TimeSpan.FromHours(3));

    /// <summary>The seed of the demo and the default of <c>--seed</c>.</summary>
    public const int DefaultSeed = 42;

    /// <summary>Gets the start of the first day.</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>Gets the end of the simulated period (exclusive): when the report is made.</summary>
    public DateTimeOffset End => Start.AddDays(Days);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Days, 3_660, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfLessThan(PerDay, 1, nameof(PerDay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PerDay, 1_000_000, nameof(PerDay));
    }
}

/// <summary>What happened in a simulation, beside the report.</summary>
internal sealed class SimulationStatistics
{
    /// <summary>Gets or sets the citizens' messages ingested (first messages, follow-ups, redeliveries).</summary>
    public int Messages { get; set; }

    /// <summary>Gets or sets the appeals opened.</summary>
    public int Created { get; set; }

    /// <summary>Gets or sets the follow-ups that joined an open appeal.</summary>
    public int FollowUps { get; set; }

    /// <summary>Gets or sets the redelivered messages the desk recognized as duplicates.</summary>
    public int Duplicates { get; set; }

    /// <summary>Gets or sets the appeals rejected at once as out of scope.</summary>
    public int Rejected { get; set; }

    /// <summary>Gets or sets the interim answers units gave.</summary>
    public int InterimAnswers { get; set; }

    /// <summary>Gets or sets the final answers units gave.</summary>
    public int FinalAnswers { get; set; }

    /// <summary>Gets or sets the clarifications units asked for.</summary>
    public int Clarifications { get; set; }

    /// <summary>Gets or sets the ratings citizens gave.</summary>
    public int Ratings { get; set; }

    /// <summary>Gets or sets the appeals reopened by a low rating.</summary>
    public int Reopened { get; set; }

    /// <summary>Gets or sets the appeals closed.</summary>
    public int Closed { get; set; }

    /// <summary>Gets or sets the scheduled actions that no longer fitted the appeal's status and were dropped.</summary>
    public int ActionsDropped { get; set; }
}
