package dev.hearth.gateway.stream;

import java.util.List;

/** Test access to the streams running in a registry. */
record StreamRegistryView(ChatStream stream) {

    static List<StreamRegistryView> of(StreamRegistry registry) {
        return registry.list().stream().map(StreamRegistryView::new).toList();
    }

    void cancel() {
        stream.cancel();
    }
}
