package io.convo.gateway;

/** A single gateway instance (cluster mode off): it owns every subaccount. */
final class SoleOwnership implements SubaccountOwnership {

    private static final Owned OWNED = new Owned(0);

    @Override
    public Check check(String subaccount) {
        return OWNED;
    }

    @Override
    public void start() {
    }

    @Override
    public void close() {
    }
}
