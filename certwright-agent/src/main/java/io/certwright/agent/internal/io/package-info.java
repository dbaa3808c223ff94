/// File-system helpers of the agent: crash-safe writes with permissions set before any content exists.
@NullMarked
package io.certwright.agent.internal.io;

import org.jspecify.annotations.NullMarked;
