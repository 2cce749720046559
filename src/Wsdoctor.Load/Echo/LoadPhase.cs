namespace Wsdoctor.Load.Echo;

public enum LoadPhase
{
    Connecting,
    WarmingUp,
    Measuring,
    Stopped,
}
