namespace Herald.Core.Campaigns;

/// <summary>
/// A campaign's life: a <see cref="Draft"/> takes its audience, then starts (<see cref="Running"/>) or waits for its
/// start time (<see cref="Scheduled"/>); it may be paused and resumed, and ends <see cref="Completed"/> (every
/// recipient handled) or <see cref="Cancelled"/>.
/// </summary>
public enum CampaignState
{
    Draft,
    Scheduled,
    Running,
    Paused,
    Completed,
    Cancelled,
}

/// <summary>Which moves each state allows, and the states' wire names.</summary>
public static class CampaignStates
{
    public static string Of(CampaignState state) => state switch
    {
        CampaignState.Draft => "draft",
        CampaignState.Scheduled => "scheduled",
        CampaignState.Running => "running",
        CampaignState.Paused => "paused",
        CampaignState.Completed => "completed",
        CampaignState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static CampaignState Parse(string value) => value switch
    {
        "draft" => CampaignState.Draft,
        "scheduled" => CampaignState.Scheduled,
        "running" => CampaignState.Running,
        "paused" => CampaignState.Paused,
        "completed" => CampaignState.Completed,
        "cancelled" => CampaignState.Cancelled,
        _ => throw new FormatException($"unknown campaign state '{value}'"),
    };

    /// <summary>Only a draft takes a new audience (or is started): once sending may have begun, the audience is fixed.</summary>
    public static bool CanEdit(CampaignState state) => state == CampaignState.Draft;

    public static bool CanStart(CampaignState state) => state == CampaignState.Draft;

    /// <summary>A scheduled campaign may be paused too: it then waits for a resume, whatever its start time.</summary>
    public static bool CanPause(CampaignState state) => state is CampaignState.Running or CampaignState.Scheduled;

    public static bool CanResume(CampaignState state) => state == CampaignState.Paused;

    public static bool CanCancel(CampaignState state) => state is not (CampaignState.Completed or CampaignState.Cancelled);

    public static bool HasEnded(CampaignState state) => state is CampaignState.Completed or CampaignState.Cancelled;
}
