package auth

import (
	"fmt"
	"slices"
)

// Role names a set of permissions.
type Role string

// Permission is something a user may do.
type Permission = string

// The built-in roles and permissions, after the original's security layer.
const (
	Viewer  Role = "viewer"
	Analyst Role = "analyst"
	Manager Role = "manager"
	Admin   Role = "admin"

	ReadDashboards Permission = "read_dashboards"
	ExportData     Permission = "export_data"
	ModifyFilters  Permission = "modify_filters"
)

// All, granted to a role, grants every permission, including custom ones.
const All Permission = "*"

// Policy maps roles to permissions. It is immutable once built.
type Policy struct {
	roles map[Role][]Permission
}

// DefaultPolicy returns the built-in roles: viewer may read dashboards;
// analyst may also export data; manager may also modify filters; admin may
// do everything.
func DefaultPolicy() *Policy {
	p, _ := NewPolicy(map[Role][]Permission{
		Viewer:  {ReadDashboards},
		Analyst: {ReadDashboards, ExportData},
		Manager: {ReadDashboards, ExportData, ModifyFilters},
		Admin:   {All},
	})
	return p
}

// NewPolicy builds a policy from custom roles and permissions. Empty role
// or permission names are an error.
func NewPolicy(roles map[Role][]Permission) (*Policy, error) {
	p := &Policy{roles: make(map[Role][]Permission, len(roles))}
	for r, perms := range roles {
		if r == "" {
			return nil, fmt.Errorf("%w: empty role name", ErrConfig)
		}
		for _, perm := range perms {
			if perm == "" {
				return nil, fmt.Errorf("%w: role %q: empty permission", ErrConfig, r)
			}
		}
		p.roles[r] = slices.Clone(perms)
	}
	return p, nil
}

// Can reports whether a user with roles holds permission. Unknown roles
// grant nothing.
func (p *Policy) Can(roles []Role, permission Permission) bool {
	for _, r := range roles {
		for _, perm := range p.roles[r] {
			if perm == permission || perm == All {
				return true
			}
		}
	}
	return false
}

// Known reports whether role is defined.
func (p *Policy) Known(role Role) bool {
	_, ok := p.roles[role]
	return ok
}
