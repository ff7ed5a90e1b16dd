import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { DirectoryContext } from './directory-context';
import { DirectoryService } from './directory.service';
import { Invite, InviteInput, JoinCode, JoinCodeInput, Member, MemberChangeInput, TenantMembership } from './directory.types';
import { MembersService } from './members.service';

/** Team management on `app.<domain>/graphql`: thin, the service holds the rules. */
@Resolver()
export class MembersResolver {
  constructor(
    private readonly team: MembersService,
    private readonly directory: DirectoryService,
  ) {}

  @Query(() => [Member])
  members(@Args('tenantId', { type: () => ID }) tenantId: string, @Context() ctx: DirectoryContext): Promise<Member[]> {
    return this.team.list(ctx, tenantId);
  }

  @Query(() => [Invite], { description: "Open invites to the signed-in user's phone." })
  myInvites(@Context() ctx: DirectoryContext): Promise<Invite[]> {
    return this.team.myInvites(ctx);
  }

  @Mutation(() => Invite)
  inviteMember(@Args('input') input: InviteInput, @Context() ctx: DirectoryContext): Promise<Invite> {
    return this.team.invite(ctx, input);
  }

  @Mutation(() => TenantMembership)
  async acceptInvite(@Args('inviteId', { type: () => ID }) inviteId: string, @Context() ctx: DirectoryContext): Promise<TenantMembership> {
    return this.directory.membershipOf(ctx, await this.team.acceptInvite(ctx, inviteId));
  }

  @Mutation(() => JoinCode)
  createJoinCode(@Args('input') input: JoinCodeInput, @Context() ctx: DirectoryContext): Promise<JoinCode> {
    return this.team.createJoinCode(ctx, input);
  }

  @Mutation(() => TenantMembership)
  async joinWithCode(@Args('code') code: string, @Context() ctx: DirectoryContext): Promise<TenantMembership> {
    return this.directory.membershipOf(ctx, await this.team.joinWithCode(ctx, code));
  }

  @Mutation(() => Boolean, { description: "Changes a member's role or locations; the last owner stays an owner." })
  async changeMemberRole(@Args('input') input: MemberChangeInput, @Context() ctx: DirectoryContext): Promise<boolean> {
    await this.team.change(ctx, input);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Removes a member; the last owner cannot be removed.' })
  async removeMember(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('userId', { type: () => ID }) userId: string,
    @Context() ctx: DirectoryContext,
  ): Promise<boolean> {
    await this.team.change(ctx, { tenantId, userId, remove: true });
    return true;
  }
}
