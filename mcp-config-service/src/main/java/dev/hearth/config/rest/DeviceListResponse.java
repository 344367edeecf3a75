package dev.hearth.config.rest;

import java.util.List;

/** {@code GET /admin/v1/devices}: every device, by friendly name. */
public record DeviceListResponse(List<DeviceResponse> devices) {
}
