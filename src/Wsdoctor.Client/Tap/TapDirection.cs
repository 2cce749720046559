namespace Wsdoctor.Client.Tap;

/// <summary>Which way a frame went: In from the server, Out from us.</summary>
public enum TapDirection
{
    In,
    Out,
}
