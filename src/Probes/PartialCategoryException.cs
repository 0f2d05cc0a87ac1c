namespace OneKvm.Probes;

/// <summary>
/// A category that produced part of its payload: <see cref="PartialPayload"/> holds what could be
/// read, the message says what is missing and why. One rule everywhere: the part is printed or sent
/// as it is (monitord keeps its previous values of the keys left out) and
/// <c>&lt;category&gt;: incomplete: &lt;what&gt;</c> goes to stderr; <c>--once</c> then exits 1, the
/// agent sends the part as SUCCESS (at start-up too), <c>serve</c> reports the probe failed
/// (<c>onekvm_probe_success 0</c>) while exporting what was read.
/// </summary>
public sealed class PartialCategoryException : Exception
{
    public PartialCategoryException(string partialPayload, string message) : base(message) => PartialPayload = partialPayload;

    public PartialCategoryException() { }

    public PartialCategoryException(string message, Exception inner) : base(message, inner) { }

    public string PartialPayload { get; } = "";
}
