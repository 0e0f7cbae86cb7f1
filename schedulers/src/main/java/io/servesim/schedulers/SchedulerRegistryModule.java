package io.servesim.schedulers;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;

/**
 * Registers ServeSim's batching policies and routers by name in {@code MapBinder<String, SchedulerType>}
 * and {@code MapBinder<String, RouterType>}. A study adds its own policy with another
 * {@code MapBinder.newMapBinder(binder(), String.class, SchedulerType.class).addBinding("mine")}.
 */
public final class SchedulerRegistryModule extends AbstractModule {

    @Override
    protected void configure() {
        MapBinder<String, SchedulerType> schedulers = MapBinder.newMapBinder(binder(), String.class, SchedulerType.class);
        for (BuiltInSchedulers type : BuiltInSchedulers.values()) {
            schedulers.addBinding(type.registryName()).toInstance(type);
        }
        MapBinder<String, RouterType> routers = MapBinder.newMapBinder(binder(), String.class, RouterType.class);
        for (BuiltInRouters type : BuiltInRouters.values()) {
            routers.addBinding(type.registryName()).toInstance(type);
        }
    }

    /** All instances are the same module, so installing it twice is harmless. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SchedulerRegistryModule;
    }

    @Override
    public int hashCode() {
        return SchedulerRegistryModule.class.hashCode();
    }
}
