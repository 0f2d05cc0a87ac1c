namespace OneKvm.Probes;

/// <summary>
/// A category that produced part of its payload: <see cref="PartialPayload"/> holds what could be
/// read, the message says what is missing and why. <c>--once</c> prints the part and fails; the agent
/// decides per message type whether to send the part.
/// </summary>
public sealed class PartialCategoryException : Exception
{
    public PartialCategoryException(string partialPayload, string message) : base(message) => PartialPayload = partialPayload;

    public PartialCategoryException() { }

    public PartialCategoryException(string message, Exception inner) : base(message, inner) { }

    public string PartialPayload { get; } = "";
}
